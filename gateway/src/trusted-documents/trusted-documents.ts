import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError } from '@crossdock/service';
import { z } from 'zod';

/** The format Apollo's `generate-persisted-query-manifest` writes. */
const apolloManifest = z.object({
  format: z.literal('apollo-persisted-query-manifest'),
  version: z.literal(1),
  operations: z.array(z.object({ id: z.string(), body: z.string().min(1), name: z.string().optional(), type: z.string().optional() })),
});
/** The plain `{ "<sha256>": "<document>" }` map (graphql-codegen's client preset, Relay). */
const documentMap = z.record(z.string(), z.string().min(1));

/**
 * The registered operations first-party frontends and opted-in partners send by id: the
 * manifest named by TRUSTED_DOCUMENTS_PATH, loaded once at start. An id is the lowercase hex
 * SHA-256 of the document's text, the same hash Apollo's persisted-query link sends, so a client
 * that sends the full text of a registered operation is recognised as well.
 */
export class TrustedDocuments {
  private constructor(private readonly documents: ReadonlyMap<string, string>) {}

  static readonly none = new TrustedDocuments(new Map());

  /** From a manifest's parsed JSON; refuses ids that are not the document's SHA-256. */
  static fromManifest(content: unknown, source = 'trusted documents'): TrustedDocuments {
    const apollo = apolloManifest.safeParse(content);
    const map = apollo.success ? null : documentMap.safeParse(content);
    if (!apollo.success && !map?.success) {
      throw new ConfigError(`${source}: not an Apollo persisted-query manifest nor a map of sha256 ids to documents`);
    }
    const entries = apollo.success ? apollo.data.operations.map((o) => [o.id, o.body] as const) : Object.entries(map?.data ?? {});
    const documents = new Map<string, string>();
    for (const [id, body] of entries) {
      const hash = sha256(body);
      if (id !== hash) throw new ConfigError(`${source}: id ${id} is not the sha256 of its document (that is ${hash})`);
      documents.set(id, body);
    }
    return new TrustedDocuments(documents);
  }

  /** Reads TRUSTED_DOCUMENTS_PATH's manifest; none when no path is given. */
  static load(path: string | null): TrustedDocuments {
    if (path === null) return TrustedDocuments.none;
    let content: unknown;
    try {
      content = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new ConfigError(`TRUSTED_DOCUMENTS_PATH ${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
    return TrustedDocuments.fromManifest(content, `TRUSTED_DOCUMENTS_PATH ${path}`);
  }

  get size(): number {
    return this.documents.size;
  }

  /** The document registered under a sha256 id. */
  get(id: string): string | undefined {
    return this.documents.get(id);
  }

  has(id: string): boolean {
    return this.documents.has(id);
  }

  /** Every registered document's text. */
  bodies(): string[] {
    return [...this.documents.values()];
  }
}

/** The id of a document: lowercase hex SHA-256 of its text, as Apollo computes `queryHash`. */
export function sha256(document: string): string {
  return createHash('sha256').update(document).digest('hex');
}
