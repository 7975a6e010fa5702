// Node entry: everything. The browser-safe subset is `./browser.ts` (no node:* imports).
export * from './errors/index.js';
export * from './policy/index.js';
export * from './post-signature/index.js';
export * from './request-signature/index.js';
export * from './callback/index.js';
export * from './checksum/index.js';
export * from './sts/index.js';
