// Adapts WebCrypto's SubtleCrypto (browsers, Deno, Bun, Node ≥ 20 `globalThis.crypto.subtle`) to the
// HmacFunction the browser POST signers take.
import type { HmacFunction } from './sign-post-policy-with-hmac.js';

export function createWebCryptoHmac(subtle: SubtleCrypto): HmacFunction {
  return async (alg, key, data) => {
    // Copies give ArrayBuffer-backed views, which is what BufferSource requires.
    const cryptoKey = await subtle.importKey('raw', new Uint8Array(key), { name: 'HMAC', hash: alg }, false, [
      'sign',
    ]);
    return new Uint8Array(await subtle.sign('HMAC', cryptoKey, new Uint8Array(data)));
  };
}
