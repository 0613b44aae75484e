/**
 * Composes supergraph.yaml (rover's format) into supergraph.graphql with @apollo/composition.
 * `--check` composes and fails if the committed supergraph differs, so a subgraph schema change
 * can never land without its supergraph.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { parse as parseYaml } from 'yaml';

interface SubgraphConfig {
  routing_url: string;
  schema: { file: string };
}

function readConfig(path: string): Record<string, SubgraphConfig> {
  const config: unknown = parseYaml(readFileSync(path, 'utf8'));
  if (typeof config !== 'object' || config === null || !('subgraphs' in config)) {
    throw new Error(`${path}: no "subgraphs" section`);
  }
  const subgraphs = config.subgraphs;
  if (typeof subgraphs !== 'object' || subgraphs === null) throw new Error(`${path}: "subgraphs" must be a map`);
  const result: Record<string, SubgraphConfig> = {};
  for (const [name, entry] of Object.entries(subgraphs)) {
    const url: unknown = entry?.routing_url;
    const file: unknown = entry?.schema?.file;
    if (typeof url !== 'string' || typeof file !== 'string') {
      throw new Error(`${path}: subgraph "${name}" needs routing_url and schema.file`);
    }
    result[name] = { routing_url: url, schema: { file } };
  }
  return result;
}

/** Composes the config file at `configPath`; returns the supergraph SDL or throws with every composition error. */
export function composeSupergraph(configPath: string): string {
  const base = dirname(configPath);
  const services = Object.entries(readConfig(configPath)).map(([name, entry]) => ({
    name,
    url: entry.routing_url,
    typeDefs: parse(readFileSync(resolve(base, entry.schema.file), 'utf8')),
  }));
  const result = composeServices(services);
  if (result.errors) {
    throw new Error(`composition failed:\n${result.errors.map((e) => `- ${e.message}`).join('\n')}`);
  }
  return result.supergraphSdl;
}

function main(): void {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const root = resolve(__dirname, '..');
  const configPath = resolve(root, args.find((a) => !a.startsWith('--')) ?? 'supergraph.yaml');
  const outPath = resolve(dirname(configPath), 'supergraph.graphql');
  const sdl = `${composeSupergraph(configPath).trimEnd()}\n`;
  if (check) {
    const committed = existsSync(outPath) ? readFileSync(outPath, 'utf8') : '';
    if (committed !== sdl) {
      console.error(`${outPath} is stale: run \`npm run compose\` and commit the result`);
      process.exit(1);
    }
    console.log(`${outPath} is up to date`);
    return;
  }
  writeFileSync(outPath, sdl);
  console.log(`wrote ${outPath}`);
}

// Only as a command: schema-check imports composeSupergraph without writing the supergraph.
if (require.main === module) {
  try {
    main();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
