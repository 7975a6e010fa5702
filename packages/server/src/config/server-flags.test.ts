import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { renderServerHelp } from '../cli/render-server-help.js';
import { serverFlags } from './server-flags.js';

const configurationDoc = readFileSync(new URL('../../../../docs/configuration.md', import.meta.url), 'utf8');

describe('serverFlags', () => {
  it('has a row in docs/configuration.md and a --help entry for every flag and its variable', () => {
    const help = renderServerHelp();
    for (const spec of serverFlags) {
      const row = configurationDoc
        .split('\n')
        .find((line) => line.startsWith(`| \`--${spec.name}${spec.boolean ? '`' : ' '}`));
      assert.ok(row, `docs/configuration.md has no row for --${spec.name}`);
      assert.ok(row.includes(`\`${spec.env}\``), `the --${spec.name} row names ${spec.env}`);
      assert.ok(help.includes(`--${spec.name}`), `--help lists --${spec.name}`);
      assert.ok(help.includes(`env ${spec.env}`), `--help names ${spec.env}`);
    }
  });

  it('names every flag once', () => {
    const names = serverFlags.map((spec) => spec.name);
    assert.equal(new Set(names).size, names.length);
  });
});
