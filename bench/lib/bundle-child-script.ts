// Bench server children run as production does (docs/deployment.md, ADR 0013): bundled with esbuild and
// started with plain `node`, not through the tsx loader, whose esbuild service would add ~40 MB to every
// child's RSS (scenario 5) and its transform work to start-up. Every child — Upcall and the baselines
// alike — is started this way, so same-run ratios stay fair. Only the workspace's own TypeScript
// (@upcall/* and relative imports) is bundled; third-party packages load from node_modules as usual.
// The bundle lives under bench/.build/ (git-ignored) so node_modules resolution from it works.
import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { repoRoot } from './bench-settings.js';

const bundled = new Map<string, Promise<string>>();

const thirdPartyExternal: Plugin = {
  name: 'third-party-external',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@upcall/') ? undefined : { path: args.path, external: true },
    );
  },
};

async function bundle(scriptPath: string): Promise<string> {
  const outDir = join(repoRoot, 'bench', '.build');
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, basename(scriptPath).replace(/\.ts$/, '.mjs'));
  await build({
    entryPoints: [scriptPath],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: ['node20'],
    plugins: [thirdPartyExternal],
    logLevel: 'warning',
  });
  return outfile;
}

/** The bundled form of a bench/servers script, built once per bench run. */
export function bundleChildScript(scriptPath: string): Promise<string> {
  let built = bundled.get(scriptPath);
  if (built === undefined) {
    built = bundle(scriptPath);
    bundled.set(scriptPath, built);
  }
  return built;
}
