export * from './config';
export * from './logger';
export * from './graphql-handler';
export * from './http-service';
export * from './subgraph-service';
export * from './batch-loader';
