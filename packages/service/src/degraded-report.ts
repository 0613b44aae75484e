import type { ApolloServerPlugin, BaseContext } from '@apollo/server';

/** One source of a degraded answer, exactly as CONTRACT.md shows it in `extensions.degraded`. */
export interface DegradedSource {
  subgraph: string;
  servedFrom: 'cache';
  /** When the oldest snapshot served was taken (UTC ISO-8601). */
  asOf: string;
}

/**
 * Per request: what a subgraph served from its fallback cache instead of its backend. Contexts
 * carry one as `degraded`; the fallback cache notes every snapshot it serves into it, and
 * degradedAnswersPlugin puts it into the response.
 */
export class DegradedReport {
  private oldest: Date | null = null;

  constructor(readonly subgraph: string) {}

  /** Notes that an answer came from a snapshot taken at `asOf`. */
  servedFromCache(asOf: Date): void {
    if (this.oldest === null || asOf < this.oldest) this.oldest = asOf;
  }

  /** This subgraph's entry for `extensions.degraded`; null while every answer was live. */
  source(): DegradedSource | null {
    return this.oldest === null ? null : { subgraph: this.subgraph, servedFrom: 'cache', asOf: this.oldest.toISOString() };
  }
}

/**
 * Puts the request's DegradedReport (the context's `degraded`, when it has one) into the
 * response as `extensions.degraded`, for the gateway to collect. Runs after execution, when every
 * loader has settled, so the report is complete.
 */
export function degradedAnswersPlugin(): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          const source = reportOf(contextValue)?.source();
          if (!source || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, degraded: [source] };
        },
      };
    },
  };
}

function reportOf(context: BaseContext): DegradedReport | null {
  return 'degraded' in context && context.degraded instanceof DegradedReport ? context.degraded : null;
}

/**
 * Reads `extensions.degraded` of a subgraph's response, keeping only well-formed entries: the
 * gateway passes on nothing else a subgraph put there.
 */
export function readDegradedSources(value: unknown): DegradedSource[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry: unknown): DegradedSource[] => {
    if (typeof entry !== 'object' || entry === null) return [];
    const fields = new Map<string, unknown>(Object.entries(entry));
    const [subgraph, servedFrom, asOf] = [fields.get('subgraph'), fields.get('servedFrom'), fields.get('asOf')];
    if (typeof subgraph !== 'string' || servedFrom !== 'cache' || typeof asOf !== 'string' || Number.isNaN(Date.parse(asOf))) return [];
    return [{ subgraph, servedFrom, asOf }];
  });
}

/** One entry per subgraph, with the oldest `asOf` it reported, ordered by subgraph name. */
export function mergeDegradedSources(sources: readonly DegradedSource[]): DegradedSource[] {
  const oldest = new Map<string, DegradedSource>();
  for (const source of sources) {
    const known = oldest.get(source.subgraph);
    if (!known || Date.parse(source.asOf) < Date.parse(known.asOf)) oldest.set(source.subgraph, source);
  }
  return [...oldest.values()].sort((a, b) => a.subgraph.localeCompare(b.subgraph));
}
