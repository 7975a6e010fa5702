// Test helper: a few fresh 1024-bit RSA keys as PKCS#8 PEM (generated once per test file: RSA key
// generation is the slow part of every key test), handed out in order by an injectable generator.
import { generateKeyPairSync } from 'node:crypto';

export function generateTestKeyPems(count: number): string[] {
  return Array.from({ length: count }, () =>
    generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString(),
  );
}

/** A `generatePem` for rotateCallbackKey that returns `pems` one after the other. */
export function sequenceOf(pems: readonly string[]): () => Promise<string> {
  let next = 0;
  return () => {
    const pem = pems[next];
    next += 1;
    if (pem === undefined) throw new Error('test key sequence exhausted');
    return Promise.resolve(pem);
  };
}
