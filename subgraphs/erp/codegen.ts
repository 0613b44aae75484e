import type { CodegenConfig } from '@graphql-codegen/cli';

/** Resolver types for the ERP subgraph, generated from its one SDL file. */
const config: CodegenConfig = {
  schema: 'src/schema.graphql',
  generates: {
    'src/__generated__/resolvers-types.ts': {
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        federation: true,
        useIndexSignature: true,
        useTypeImports: true,
        // The model spells enums as string unions ('POSTED'); TS enums would force casts.
        enumsAsTypes: true,
        contextType: '../context#ErpContext',
        scalars: { DateTime: 'string' },
        // Mapped model types share names with the generated ones; the suffix keeps both importable.
        mapperTypeSuffix: 'Model',
        mappers: {
          Customer: '@crossdock/model#Customer',
          Product: '@crossdock/model#Product',
          Money: '@crossdock/model#Money',
          Invoice: '@crossdock/model#Invoice',
          Order: '../entity-refs#OrderRef',
          OrderLine: '../entity-refs#OrderLineRef',
        },
      },
    },
  },
};

export default config;
