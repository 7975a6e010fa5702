export * from './oss-error.js';
export * from './error-catalog.js';
