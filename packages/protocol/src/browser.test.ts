// Proves the browser entry's whole module graph avoids node:* and bare packages, by walking the
// static and dynamic imports of the source files from browser.ts. A control walk from index.ts
// (which includes node:crypto signers) shows the walker does find node imports.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const srcDir = dirname(fileURLToPath(import.meta.url));
const importPattern =
  /(?:\bimport|\bexport)\s[^'";]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*\(?\s*['"]([^'"]+)['"]/g;

interface ImportGraph {
  readonly files: Set<string>;
  readonly externalImports: Map<string, string>;
}

function walkImports(entry: string): ImportGraph {
  const files = new Set<string>();
  const externalImports = new Map<string, string>();
  const pending = [resolve(srcDir, entry)];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (files.has(file)) continue;
    files.add(file);
    for (const match of readFileSync(file, 'utf8').matchAll(importPattern)) {
      const specifier = match[1] ?? match[2] ?? '';
      if (specifier.startsWith('.')) pending.push(join(dirname(file), specifier.replace(/\.js$/, '.ts')));
      else externalImports.set(specifier, relative(srcDir, file));
    }
  }
  return { files, externalImports };
}

const isNodeBuiltin = (specifier: string): boolean =>
  specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0] ?? '');

describe('browser entry', () => {
  it('imports no node:* module and no package anywhere in its module graph', () => {
    const graph = walkImports('browser.ts');
    assert.ok(graph.files.size > 10, `walked only ${graph.files.size} files`);
    assert.ok([...graph.files].some((f) => f.endsWith('build-post-policy.ts')));
    assert.deepEqual(Object.fromEntries(graph.externalImports), {});
  });

  it('is checked by a walker that does see node:crypto behind index.ts', () => {
    const graph = walkImports('index.ts');
    const nodeImports = [...graph.externalImports.keys()].filter(isNodeBuiltin);
    assert.ok(nodeImports.includes('node:crypto'), `found only ${nodeImports.join(', ')}`);
  });

  it('loads and signs without Node-only globals', async () => {
    const browser = await import('./browser.js');
    const hmac = browser.createWebCryptoHmac(globalThis.crypto.subtle);
    const built = browser.buildPostPolicy({
      expiration: new Date(Date.UTC(2030, 0, 1)),
      conditions: [{ bucket: 'b' }],
    });
    const signature = await browser.signPostPolicyV1WithHmac(built.base64, 'secret', hmac);
    assert.match(signature, /^[A-Za-z0-9+/]{27}=$/);
    assert.equal(browser.decodeErrorXml('<Error><Code>AccessDenied</Code></Error>')?.code, 'AccessDenied');
  });
});
