// Timing independence of signature checks (threats §C1 item 1, §B8): the time to refuse a forged
// signature must not depend on where it first differs from the right one. The test is structural, not
// statistical (docs/reliability.md "Signature timing" says why): it replaces node:crypto's
// timingSafeEqual with a recording stand-in (syncBuiltinESMExports updates the named imports of the
// modules under test) and shows, for every signature check, that
//   1. the comparison is made by timingSafeEqual — forcing it to answer "equal" makes a forged
//      signature of the right length pass, forcing "different" makes the genuine one fail — so no other
//      comparison (===, an early return on a differing byte) decides;
//   2. it is given the whole provided and expected values as equal-length buffers, whatever the
//      position of the difference (first or last character);
//   3. a value of another length is refused before any comparison (the length of a signature is public:
//      fixed by the algorithm).
// A source scan then checks that no `signature` value is compared with === / !== anywhere else.
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkSignatureEqual } from '../../packages/protocol/src/request-signature/compare-signature.js';
import {
  signPostPolicyV1,
  signPostPolicyV4,
  verifyPostSignature,
  verifyRequestSignature,
} from '@upcall/protocol';
import {
  deps,
  replaceSignatureV1Header,
  replaceSignatureV4Header,
  v1HeaderRequest,
  v4HeaderRequest,
} from '../../packages/protocol/src/request-signature/request-signature-test-helpers.js';

const realTimingSafeEqual = crypto.timingSafeEqual;
const calls: Array<[Buffer, Buffer]> = [];
let forced: boolean | undefined;

function install(): void {
  crypto.timingSafeEqual = (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView): boolean => {
    const left = Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    const right = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
    calls.push([Buffer.from(left), Buffer.from(right)]);
    return forced ?? realTimingSafeEqual(a, b);
  };
  syncBuiltinESMExports();
}

function restore(): void {
  crypto.timingSafeEqual = realTimingSafeEqual;
  syncBuiltinESMExports();
}

/** The signature with its first or its last character changed (same length, same alphabet). */
function differAt(signature: string, where: 'first' | 'last'): string {
  const index = where === 'first' ? 0 : signature.length - 1;
  const char = signature[index] === 'a' ? 'b' : 'a';
  return signature.slice(0, index) + char + signature.slice(index + 1);
}

const v4Input = {
  accessKeySecret: 'secret-key-000000000000000',
  date: '20250102',
  region: 'cn-hangzhou',
};
const policyBase64 = Buffer.from('{"expiration":"2030-01-01T00:00:00Z","conditions":[]}').toString('base64');

interface Check {
  readonly name: string;
  readonly genuine: string;
  /** Runs the real check with `signature` in place of the genuine one. */
  readonly verify: (signature: string) => boolean;
}

const checks: readonly Check[] = [
  {
    name: 'checkSignatureEqual',
    genuine: signPostPolicyV1(policyBase64, 'k'),
    verify: (signature) => checkSignatureEqual(signature, signPostPolicyV1(policyBase64, 'k')),
  },
  {
    name: 'verifyPostSignature V1',
    genuine: signPostPolicyV1(policyBase64, 'k'),
    verify: (signature) =>
      verifyPostSignature({ version: 'v1', policyBase64, signature, accessKeySecret: 'k' }),
  },
  {
    name: 'verifyPostSignature V4',
    genuine: signPostPolicyV4(policyBase64, v4Input),
    verify: (signature) => verifyPostSignature({ version: 'v4', policyBase64, signature, ...v4Input }),
  },
  {
    name: 'verifyRequestSignature V1 header',
    genuine: String(v1HeaderRequest().headers['authorization']).split(':')[1] ?? '',
    verify: (signature) =>
      verifyRequestSignature(
        replaceSignatureV1Header(v1HeaderRequest(), () => signature),
        deps(),
      ).ok,
  },
  {
    name: 'verifyRequestSignature V4 header',
    genuine: /Signature=([0-9a-f]+)/.exec(String(v4HeaderRequest().headers['authorization']))?.[1] ?? '',
    verify: (signature) =>
      verifyRequestSignature(
        replaceSignatureV4Header(v4HeaderRequest(), () => signature),
        deps(),
      ).ok,
  },
];

describe('signature checks compare in constant time (threats §C1.1)', () => {
  before(install);
  after(restore);
  afterEach(() => {
    calls.length = 0;
    forced = undefined;
  });

  for (const check of checks) {
    it(`${check.name}: timingSafeEqual alone decides, over the whole equal-length values`, () => {
      assert.ok(check.genuine.length >= 28, `a genuine signature for ${check.name}`);
      assert.equal(check.verify(check.genuine), true, 'the genuine signature verifies');
      for (const where of ['first', 'last'] as const) {
        const forged = differAt(check.genuine, where);
        calls.length = 0;
        assert.equal(check.verify(forged), false, `differing at the ${where} character`);
        // V4 header checks try every candidate canonical request, each through timingSafeEqual.
        assert.ok(calls.length > 0, 'timingSafeEqual was called');
        for (const [provided, expected] of calls) {
          assert.equal(provided.length, expected.length);
          assert.equal(provided.toString('utf8'), forged, 'the whole provided value is compared');
        }
        assert.ok(
          calls.some(([, expected]) => expected.toString('utf8') === check.genuine),
          'against the whole expected value',
        );
        forced = true;
        assert.equal(check.verify(forged), true, 'a forced "equal" lets the forged one through');
        forced = undefined;
      }
      forced = false;
      assert.equal(check.verify(check.genuine), false, 'a forced "different" stops the genuine one');
    });
  }

  it('refuses a signature of another length without comparing its bytes', () => {
    for (const check of checks) {
      calls.length = 0;
      forced = true;
      assert.equal(check.verify(`${check.genuine}a`), false, check.name);
      assert.equal(check.verify(check.genuine.slice(0, -1)), false, check.name);
      assert.equal(
        calls.filter(([a, b]) => a.length !== b.length).length,
        0,
        `${check.name}: timingSafeEqual only ever sees equal lengths`,
      );
    }
  });
});

describe('no signature is compared with === or !== in the source', () => {
  const root = fileURLToPath(new URL('../../packages/', import.meta.url));
  // `signature === undefined` / `=== ''` test presence, not content; anything else is a finding.
  const comparison =
    /\b\w*signature\b\s*[!=]==\s*(?!undefined\b|''|"")[\w'"`]|[\w'"`)\]]\s*[!=]==\s*\w*signature\b(?!\s*\.length)/gi;

  async function sourceFiles(dir: string): Promise<string[]> {
    const out: string[] = [];
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === 'dist') continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) out.push(...(await sourceFiles(path)));
      else if (/\.ts$/.test(entry.name) && !/\.test\.ts$|test-helpers|testing\//.test(path)) out.push(path);
    }
    return out;
  }

  it('finds every signature comparison going through timingSafeEqual', async () => {
    const findings: string[] = [];
    for (const path of await sourceFiles(root)) {
      if (!path.includes('/src/')) continue;
      const lines = (await readFile(path, 'utf8')).split('\n');
      lines.forEach((line, index) => {
        if (line.trimStart().startsWith('//') || line.trimStart().startsWith('*')) return;
        for (const match of line.matchAll(comparison)) {
          findings.push(`${relative(root, path)}:${index + 1}: ${match[0]}`);
        }
      });
    }
    assert.deepEqual(findings, []);
  });

  it('would find one (the scan is not blind)', () => {
    assert.ok('  if (provided.signature === expected) {'.match(comparison));
    assert.ok('  return computed !== signature;'.match(comparison));
    assert.equal('  if (signature === undefined) return;'.match(comparison), null);
    assert.equal("  if (signatureVersion === 'v4') {".match(comparison), null);
  });
});
