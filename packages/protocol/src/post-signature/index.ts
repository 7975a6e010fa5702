export * from './v4-signing-key.js';
export * from './sign-post-policy.js';
export * from './verify-post-signature.js';
export * from './v4-credential.js';
export * from './check-v4-post-date.js';
export * from './encode-hex.js';
export * from './sign-post-policy-with-hmac.js';
export * from './create-web-crypto-hmac.js';
