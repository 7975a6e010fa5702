// Bundles the page script (browser/page-script.ts + @upcall/client + protocol's browser entry) with
// esbuild, in memory, once at app start: nothing is written to disk and nothing is fetched.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const pageScriptEntry = fileURLToPath(new URL('../browser/page-script.ts', import.meta.url));

export async function bundlePageScript(entry: string = pageScriptEntry): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    minify: false,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (output === undefined) throw new Error('esbuild produced no output for the page script');
  return output.text;
}
