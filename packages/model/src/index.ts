export * from './domain';
export * from './money';
export * from './cursor';
export * from './time';
