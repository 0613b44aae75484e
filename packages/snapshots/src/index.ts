export * from './ports';
export { MemorySnapshotStore } from './memory-snapshot-store';
export * from './mongo-snapshot-store';
export * from './snapshot-writer';
export * from './fallback';
export * from './fallback-cache';
export * from './snapshot-config';
