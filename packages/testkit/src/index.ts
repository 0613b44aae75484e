export * from './service-process';
export * from './repo';
export * from './hub-stack';
export * from './simulator-stats';
export * from './order-view';
export * from './free-port';
export * from './backing-services';
export * from './subgraph-harness';
