// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const subgraphs = ['erp', 'wms', 'commerce', 'shipping'];

/** Dependencies point one way: subgraph -> libraries -> model. Subgraphs never import each other. */
const boundaries = [
  ...subgraphs.map((name) => ({
    files: [`subgraphs/${name}/src/**/*.ts`],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: subgraphs.filter((s) => s !== name).map((s) => `@crossdock/${s}-subgraph`), message: 'Subgraphs never import another subgraph; share through packages/.' },
          { group: ['@crossdock/gateway', '@crossdock/hub', '@crossdock/simulators'], message: 'A subgraph talks to its backend through a connector only.' },
          { group: ['../../*', '../../../*'], message: 'No relative imports across workspaces; import the package.' },
        ],
      }],
    },
  })),
  {
    // Tests may start the simulators as their fixtures, but never reach into another subgraph.
    files: ['subgraphs/*/test/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['@crossdock/*-subgraph', '@crossdock/gateway', '@crossdock/hub'], message: 'Subgraph tests stay within their subgraph.' }],
      }],
    },
  },
  {
    files: ['gateway/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['@crossdock/*-subgraph', '@crossdock/simulators', '@crossdock/hub', '@crossdock/connectors'], message: 'The gateway imports no subgraph or backend code.' },
          { group: ['../../*'], message: 'No relative imports across workspaces; import the package.' },
        ],
      }],
    },
  },
  {
    files: ['packages/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['@crossdock/*-subgraph', '@crossdock/gateway', '@crossdock/hub', '@crossdock/simulators'], message: 'Libraries never depend on services.' },
        ],
      }],
    },
  },
  {
    // The circuit breaker is proven against real simulators, as the subgraphs are; nothing else of the services.
    files: ['packages/resilience/test/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['@crossdock/*-subgraph', '@crossdock/gateway', '@crossdock/hub'], message: 'Library tests may start simulators, never services.' }],
      }],
    },
  },
];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist-types/**', '**/__generated__/**', 'coverage/**', '.crossdock/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': ['error', { allow: ['error', 'warn'] }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Command-line entry points talk to a person on stdout.
    files: ['bench/**/*.ts', 'scripts/**/*.ts', '**/*-cli.ts', 'hub/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  ...boundaries,
);
