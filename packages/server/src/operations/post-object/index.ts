// PostObject: form upload plus upload callback (oss-protocol §3, §8, §9).
export { postObject, createPostObject, type PostObjectOptions } from './post-object.js';
export { defaultPostFormLimits, type PostFormLimits } from './post-form-limits.js';
