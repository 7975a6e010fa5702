export * from './post-policy.js';
export * from './parse-policy.js';
export * from './check-policy.js';
export * from './build-post-policy.js';
export * from './policy-value-escape.js';
export * from './base64-codec.js';
export * from './strict-json.js';
export * from './utc-calendar.js';
