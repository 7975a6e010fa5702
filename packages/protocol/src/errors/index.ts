export * from './oss-error.js';
export * from './error-catalog.js';
export * from './error-conditions.js';
export * from './verdict.js';
export * from './encode-xml-text.js';
export * from './encode-error-xml.js';
export * from './decode-error-xml.js';
