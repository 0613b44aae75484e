import type { ApolloServerPlugin } from '@apollo/server';
import { mergeDegradedSources, readDegradedSources, type DegradedSource } from '@crossdock/service';
import type { GatewayContext } from './context';

/**
 * Per request: which subgraphs answered from their fallback cache, as they said in their
 * responses' `extensions.degraded`. Filled by the data source as subgraph responses arrive.
 */
export class DegradedSubgraphs {
  private readonly sources: DegradedSource[] = [];

  /** Takes note of one subgraph response's `extensions.degraded` (anything malformed is ignored). */
  note(extension: unknown): void {
    this.sources.push(...readDegradedSources(extension));
  }

  /** One entry per subgraph with its oldest `asOf`; empty when every answer was live. */
  report(): DegradedSource[] {
    return mergeDegradedSources(this.sources);
  }
}

/**
 * Sets the client response's `extensions.degraded` (CONTRACT.md, Degraded answers) from what the
 * subgraphs reported during the request. Nothing else of the subgraphs' extensions reaches the
 * client: the gateway builds its response itself and only this is added.
 */
export function degradedAnswersPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          const degraded = contextValue.degraded.report();
          if (degraded.length === 0 || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, degraded };
        },
      };
    },
  };
}
