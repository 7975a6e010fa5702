// `upcall keys rotate`: a new signing key replaces the current one; the current public key is recorded as
// retired (keys/retired-callback-keys.ts) with its retirement time and the end of its grace period.
// Order matters for a crash or a server reading mid-rotation: the retired list is written first, then the
// key file is replaced (both atomically), so at no moment is a key that may have signed a callback
// missing from what servers publish. Running servers pick the change up on restart or SIGHUP.
import { createPrivateKey } from 'node:crypto';
import {
  describePrivateKey,
  generateCallbackKeyPem,
  readCallbackKeyFile,
} from './read-or-create-callback-key.js';
import {
  encodeRetiredCallbackKeys,
  readRetiredCallbackKeys,
  retiredKeysPathFor,
  type RetiredCallbackKey,
} from './retired-callback-keys.js';
import { replacePrivateFile } from './write-private-file.js';

export interface RotateCallbackKeyInput {
  /** The key file servers read (`<dataDir>/callback-key.pem` or `--callback-private-key`). */
  readonly keyFile: string;
  readonly bits: number;
  readonly gracePeriodMs: number;
  readonly nowMs: number;
  /** Injected for tests (RSA generation is slow); default: generate `bits`-bit RSA. */
  readonly generatePem?: (bits: number) => Promise<string>;
}

export interface CallbackKeyRotation {
  readonly keyFile: string;
  readonly retiredKeysFile: string;
  readonly newFingerprint: string;
  readonly retired: RetiredCallbackKey;
  /** Every retired key still served after this rotation, the one just retired included. */
  readonly stillServed: readonly RetiredCallbackKey[];
}

export async function rotateCallbackKey(input: RotateCallbackKeyInput): Promise<CallbackKeyRotation> {
  const current = await readCallbackKeyFile(input.keyFile);
  const nextPem = await (input.generatePem ?? generateCallbackKeyPem)(input.bits);
  const next = describePrivateKey(createPrivateKey(nextPem));
  const retired: RetiredCallbackKey = {
    fingerprint: current.fingerprint,
    publicKeyPem: current.publicKeyPem,
    retiredAtMs: input.nowMs,
    servedUntilMs: input.nowMs + input.gracePeriodMs,
  };
  // Expired entries are dropped; a key retired again (rotated back to) keeps only its latest record.
  const kept = (await readRetiredCallbackKeys(input.keyFile)).filter(
    (key) => key.servedUntilMs > input.nowMs && key.fingerprint !== retired.fingerprint,
  );
  const retiredKeysFile = retiredKeysPathFor(input.keyFile);
  const listed = [...kept, retired].filter((key) => key.fingerprint !== next.fingerprint);
  await replacePrivateFile(retiredKeysFile, encodeRetiredCallbackKeys(listed));
  await replacePrivateFile(input.keyFile, nextPem);
  return {
    keyFile: input.keyFile,
    retiredKeysFile,
    newFingerprint: next.fingerprint,
    retired,
    stillServed: listed.filter((key) => key.servedUntilMs > input.nowMs),
  };
}
