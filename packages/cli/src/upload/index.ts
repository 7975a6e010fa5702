// `upcall upload`: the CLI uploader, and the Node pieces it adds to @upcall/client (docs/cli.md).
export { runUploadCli, type UploadCliIo } from './run-upload-cli.js';
export { parseUploadArgs, parseHeaderFlag, uploadUsage, type UploadCliOptions } from './parse-upload-args.js';
export { UploadUsageError } from './upload-usage-error.js';
export {
  createNodeHttpTransport,
  type NodeHttpTransport,
  type NodeHttpTransportOptions,
} from './create-node-http-transport.js';
export { createMultipartBoundary, encodeMultipartForm, type MultipartBody } from './encode-multipart-form.js';
export { guessContentType, openUploadFile } from './open-upload-file.js';
