import type { CodegenConfig } from '@graphql-codegen/cli';

/** Resolver types for the commerce subgraph, generated from its one SDL file. */
const config: CodegenConfig = {
  schema: 'src/schema.graphql',
  generates: {
    'src/__generated__/resolvers-types.ts': {
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        federation: true,
        useIndexSignature: true,
        useTypeImports: true,
        // String unions, so the model's OrderStatus ('ACCEPTED' | ...) is the schema's enum as is.
        enumsAsTypes: true,
        contextType: '../context#CommerceContext',
        scalars: { DateTime: 'string' },
        // The model's names equal the schema's; the suffix keeps the two apart in the output.
        mapperTypeSuffix: 'Model',
        mappers: {
          Order: '@crossdock/model#Order',
          OrderLine: '@crossdock/model#OrderLine',
          Customer: '../references#CustomerRef',
          Product: '../references#ProductRef',
        },
      },
    },
  },
};

export default config;
