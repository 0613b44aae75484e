/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/packages', '<rootDir>/simulators', '<rootDir>/subgraphs', '<rootDir>/gateway', '<rootDir>/hub', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist-types/'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  // Integration tests start real processes; give them room, but never assert on wall-clock time.
  testTimeout: 120_000,
  maxWorkers: 2,
  // A worker whose heap has grown past this after a test file is replaced by a fresh one. Jest
  // gives a worker 500 ms to exit at the end; the workers reached their 'exit' event within a few
  // ms, with no handle left open, but were still running on the CPU 350 ms later with 300–470 MiB
  // heaps to tear down (module registries of earlier files), so most runs ended with "A worker
  // process has failed to exit gracefully". With the limit: 1 such run of 7 (gateway folder).
  workerIdleMemoryLimit: '256MB',
  setupFiles: ['<rootDir>/test/support/jest-setup.ts'],
};
