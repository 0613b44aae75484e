import type { CodegenConfig } from '@graphql-codegen/cli';

/** Resolver types for the WMS subgraph, generated from its one SDL file. */
const config: CodegenConfig = {
  schema: 'src/schema.graphql',
  generates: {
    'src/__generated__/resolvers-types.ts': {
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        federation: true,
        useIndexSignature: true,
        useTypeImports: true,
        // The model spells enums as string unions ('SHIPPED'); TS enums would force casts.
        enumsAsTypes: true,
        contextType: '../context#WmsContext',
        scalars: { DateTime: 'string' },
        // Mapped model types share names with the generated ones; the suffix keeps both importable.
        mapperTypeSuffix: 'Model',
        mappers: {
          Warehouse: '@crossdock/model#Warehouse',
          InventoryPosition: '@crossdock/model#InventoryPosition',
          Allocation: '@crossdock/model#Allocation',
          AtpResult: '../atp#AtpResult',
          AtpSource: '../atp#AtpSource',
          Product: '../entity-refs#ProductRef',
          Order: '../entity-refs#OrderRef',
        },
      },
    },
  },
};

export default config;
