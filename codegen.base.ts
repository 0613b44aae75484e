import type { CodegenConfig } from '@graphql-codegen/cli';

export interface SubgraphCodegenOptions {
  /** The resolvers' context type, relative to the generated file, e.g. '../context#ErpContext'. */
  contextType: string;
  /**
   * Schema type -> the model type its resolvers receive, e.g. `{ Customer: '@crossdock/model#Customer' }`
   * or `{ Order: '../entity-refs#OrderRef' }` for an entity the subgraph only references.
   */
  mappers: Record<string, string>;
}

/**
 * Resolver types for one subgraph, generated from its one SDL file (run from the subgraph's
 * folder). Every subgraph uses the same settings, so a resolver reads alike in all four.
 */
export function subgraphCodegen(options: SubgraphCodegenOptions): CodegenConfig {
  return {
    schema: 'src/schema.graphql',
    generates: {
      'src/__generated__/resolvers-types.ts': {
        plugins: ['typescript', 'typescript-resolvers'],
        config: {
          federation: true,
          useIndexSignature: true,
          useTypeImports: true,
          // String unions, so the model's enums ('POSTED', 'IN_TRANSIT', ...) are the schema's as
          // they are; TS enums would force casts.
          enumsAsTypes: true,
          contextType: options.contextType,
          scalars: { DateTime: 'string' },
          // The model's types share names with the generated ones; the suffix keeps both importable.
          mapperTypeSuffix: 'Model',
          mappers: options.mappers,
        },
      },
    },
  };
}
