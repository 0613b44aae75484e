#!/usr/bin/env bash
# Builds FerretDB v1.24.2 (MongoDB-protocol server on SQLite) from its Go module.
# `go install` yields a binary that panics at start: the module lacks build/version/version.txt,
# so we copy the module out of the read-only module cache, write that file, and build.
#
# One fix is applied to FerretDB's source (hence the "-idindex" binary name): its SQLite backend
# creates the _id index on `_ferretdb_sjson->"_id"` but filters _id lookups, updates and deletes
# on `_ferretdb_sjson->'$._id'`. SQLite uses an expression index only for the identical
# expression, so every _id operation scanned the whole table (EXPLAIN QUERY PLAN: SCAN instead of
# SEARCH ... USING INDEX), and each cost grew with the collection. The fix makes the lookups use
# the indexed expression; results are the same, only the plan changes.
set -euo pipefail
VERSION=v1.24.2
OUT="${FERRETDB_BIN:-$HOME/.cache/crossdock/ferretdb-$VERSION-idindex}"
if [ -x "$OUT" ]; then echo "ferretdb: $OUT already built"; exit 0; fi
export PATH="$PATH:/usr/local/go/bin"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
MODDIR="$(GOFLAGS=-mod=mod go mod download -json "github.com/FerretDB/FerretDB@$VERSION" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')"
cp -r "$MODDIR" src
chmod -R u+w src
echo "$VERSION" > src/build/version/version.txt
METADATA=src/internal/backends/sqlite/metadata/metadata.go
sed -i "s|IDColumn = DefaultColumn + \"->'\\$._id'\"|IDColumn = DefaultColumn + \`->\"_id\"\`|" "$METADATA"
grep -q 'IDColumn = DefaultColumn + `->"_id"`' "$METADATA" || { echo "ferretdb: the _id index fix did not apply to $METADATA" >&2; exit 1; }
cd src
mkdir -p "$(dirname "$OUT")"
go build -trimpath -o "$OUT" ./cmd/ferretdb
echo "ferretdb: built $OUT"
