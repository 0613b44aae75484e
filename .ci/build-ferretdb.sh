#!/usr/bin/env bash
# Builds FerretDB v1.24.2 (MongoDB-protocol server on SQLite) from its Go module.
# `go install` yields a binary that panics at start: the module lacks build/version/version.txt,
# so we copy the module out of the read-only module cache, write that file, and build.
set -euo pipefail
VERSION=v1.24.2
OUT="${FERRETDB_BIN:-$HOME/.cache/crossdock/ferretdb-$VERSION}"
if [ -x "$OUT" ]; then echo "ferretdb: $OUT already built"; exit 0; fi
export PATH="$PATH:/usr/local/go/bin"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
MODDIR="$(GOFLAGS=-mod=mod go mod download -json "github.com/FerretDB/FerretDB@$VERSION" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')"
cp -r "$MODDIR" src
chmod -R u+w src
echo "$VERSION" > src/build/version/version.txt
cd src
mkdir -p "$(dirname "$OUT")"
go build -trimpath -o "$OUT" ./cmd/ferretdb
echo "ferretdb: built $OUT"
