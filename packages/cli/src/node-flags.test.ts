// The storage server's node flags (packages/server/src/node-flags.ts) must be on every command line
// that starts it: they cannot be set once the process runs.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { serverNodeFlags } from '@upcall/server';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const repo = new URL('../../../', import.meta.url);
const shebang = `#!/usr/bin/env -S node ${serverNodeFlags.join(' ')}`;

function firstLine(path: URL | string): string {
  return readFileSync(path, 'utf8').split('\n', 1)[0] ?? '';
}

describe('the server node flags', () => {
  it('are on the first line of bin/upcall.js', () => {
    assert.equal(firstLine(new URL('packages/cli/bin/upcall.js', repo)), shebang);
  });

  it('are on the command line of npm start', () => {
    const pkg = JSON.parse(readFileSync(new URL('package.json', repo), 'utf8')) as {
      scripts: { start: string };
    };
    assert.equal(pkg.scripts.start, `node ${serverNodeFlags.join(' ')} scripts/start.mjs`);
  });

  it('are on the first line of the production bundle, which is executable', async (t) => {
    const dir = mkdtempSync('/tmp/upcall-bundle-');
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const outfile = `${dir}/upcall.mjs`;
    const buildScript = new URL('scripts/build.mjs', repo).pathname;
    await promisify(execFile)(process.execPath, [buildScript, outfile], { cwd: repo.pathname });
    assert.equal(firstLine(outfile), shebang);
    assert.equal(statSync(outfile).mode & 0o111, 0o111);
  });
});
