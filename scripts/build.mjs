// `npm run build`: the production build of the `upcall` command — one ESM file,
// packages/cli/dist/upcall.mjs, run with plain `node` (no tsx loader, no TypeScript transform at start).
// The development bin (packages/cli/bin/upcall.js) runs the sources through tsx; that loader and its
// esbuild service cost ~40 MB of resident memory and start-up time a deployed server should not pay
// (docs/deployment.md, docs/benchmarks.md scenario 5a). Third-party packages are bundled too, except
// native addons (better-sqlite3) and optional native modules, which stay `require`d from node_modules.
import { chmod } from 'node:fs/promises';
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
export const defaultServerBundlePath = `${repoRoot}packages/cli/dist/upcall.mjs`;

/** Bundles packages/cli/src/main.ts into `outfile`; resolves with its path. */
export async function buildServerBundle(outfile = defaultServerBundlePath) {
  await build({
    entryPoints: [`${repoRoot}packages/cli/src/main.ts`],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: ['node20'],
    // Native addons and optional native drivers cannot be bundled; node_modules still holds them.
    external: ['better-sqlite3', 'pg-native', 'fsevents'],
    // CommonJS dependencies inside an ESM bundle need a `require` (esbuild's documented pattern).
    banner: {
      // The first line: the server's node flags (packages/server/src/node-flags.ts), so `./upcall.mjs` runs
      // with them; `node upcall.mjs` must name them itself (docs/deployment.md).
      js: "#!/usr/bin/env -S node --expose-gc\nimport { createRequire as upcallCreateRequire } from 'node:module';\nconst require = upcallCreateRequire(import.meta.url);",
    },
    sourcemap: 'linked',
    legalComments: 'linked',
    logLevel: 'warning',
  });
  await chmod(outfile, 0o755); // runnable as `./upcall.mjs`, with the node flags of its first line
  return outfile;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outfile = await buildServerBundle(process.argv[2]);
  console.log(`built ${outfile}`);
}
