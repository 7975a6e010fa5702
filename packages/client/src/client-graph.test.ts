// ADR 0001: the client runs in browsers. Walks the module graph from index.ts and proves it reaches
// no node:* module, no package other than @upcall/protocol/browser, no test helper, and no Node-only
// global — a guard that does not depend on the lint configuration.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const srcDir = dirname(fileURLToPath(import.meta.url));
const importPattern =
  /(?:\bimport|\bexport)\s[^'";]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*\(?\s*['"]([^'"]+)['"]/g;

function walk(entry: string): { files: string[]; external: Set<string> } {
  const files = new Set<string>();
  const external = new Set<string>();
  const pending = [resolve(srcDir, entry)];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (files.has(file)) continue;
    files.add(file);
    for (const match of readFileSync(file, 'utf8').matchAll(importPattern)) {
      const specifier = match[1] ?? match[2] ?? '';
      if (specifier.startsWith('.')) pending.push(join(dirname(file), specifier.replace(/\.js$/, '.ts')));
      else external.add(specifier);
    }
  }
  return { files: [...files].map((file) => relative(srcDir, file)).sort(), external };
}

describe('client module graph', () => {
  const graph = walk('index.ts');

  it('imports only @upcall/protocol/browser from outside the package', () => {
    assert.ok(graph.files.length > 10, `walked only ${graph.files.length} files`);
    assert.deepEqual([...graph.external], ['@upcall/protocol/browser']);
  });

  it('includes no test helper', () => {
    assert.deepEqual(
      graph.files.filter((file) => file.includes('test')),
      [],
    );
  });

  it('uses no Node-only global', () => {
    for (const file of graph.files) {
      const code = readFileSync(join(srcDir, file), 'utf8').replace(/\/\/.*$/gm, '');
      assert.doesNotMatch(code, /\b(?:Buffer|process|require|__dirname|setImmediate)\b/, file);
    }
  });

  it('is checked by a walker that does see node: imports in test helpers', () => {
    assert.ok(walk('test-support/serve-on-loopback.ts').external.has('node:http'));
  });
});
