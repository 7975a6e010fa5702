// Browser-safe entry (`@upcall/protocol/browser`): only modules whose whole import graph avoids
// node:* (checked by browser.test.ts). Signing here takes an injected async HMAC (WebCrypto).
export * from './errors/oss-error.js';
export * from './errors/error-catalog.js';
export * from './errors/error-conditions.js';
export * from './errors/verdict.js';
export * from './errors/decode-error-xml.js';
export * from './policy/post-policy.js';
export * from './policy/build-post-policy.js';
export * from './policy/policy-value-escape.js';
export * from './policy/base64-codec.js';
export * from './post-signature/v4-credential.js';
export * from './post-signature/sign-post-policy-with-hmac.js';
export * from './post-signature/create-web-crypto-hmac.js';
