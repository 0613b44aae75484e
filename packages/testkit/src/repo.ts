import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The monorepo's root directory (the folder holding the root package.json with workspaces). */
export function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'supergraph.yaml'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the repository root above ${__dirname}`);
    dir = parent;
  }
  return dir;
}
