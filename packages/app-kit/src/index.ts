// @upcall/app-kit — the application-server toolkit: upload tickets, callback verification, upload
// records, Web-standard handlers and Node/Express/Fastify adapters (architecture §4).
export * from './records/index.js';

export { issueUploadTicket, type IssueUploadTicketOptions } from './tickets/issue-upload-ticket.js';
export { buildUploadTicket, type BuiltUploadTicket } from './tickets/build-upload-ticket.js';
export type { UploadCredentials, UploadTicket, UploadTicketOptions } from './tickets/upload-ticket.js';
export type { TicketCallbackOptions } from './tickets/build-ticket-callback.js';
export { checkObjectKey, maxObjectKeyBytes, type ObjectKeyVerdict } from './tickets/check-object-key.js';
export { buildUserKeyPrefix, encodeUserSegment, extractFileExtension } from './tickets/build-object-key.js';
export { defaultTicketExpirySeconds, maxTicketExpirySeconds } from './tickets/resolve-ticket-options.js';

export {
  verifyCallback,
  verifyCallbackAuthenticity,
  defaultMaxCallbackBodyBytes,
  type AuthenticCallback,
  type CallbackRequestParts,
  type VerifyCallbackOptions,
} from './verify/verify-callback.js';
export {
  CallbackVerificationError,
  isCallbackVerificationError,
  type CallbackVerificationReason,
} from './verify/callback-verification-error.js';
export {
  createCallbackKeyTrust,
  type CallbackKeyTrust,
  type CallbackKeyTrustOptions,
  type KeySource,
} from './verify/callback-key-trust.js';
export type { CallbackImageInfo, VerifiedCallback } from './verify/verified-callback.js';
export { parseCallbackBody } from './verify/parse-callback-body.js';
export {
  confirmUpload,
  type BuildCallbackReply,
  type ConfirmedUpload,
  type ConfirmUploadOptions,
} from './verify/confirm-upload.js';

export type { HandlerContext, WebHandler } from './handlers/web-handler.js';
export {
  createTicketHandler,
  type TicketHandlerOptions,
  type TicketRequestOptions,
} from './handlers/create-ticket-handler.js';
export { createCallbackHandler, type CallbackHandlerOptions } from './handlers/create-callback-handler.js';
export { createRecordsHandler, type RecordsHandlerOptions } from './handlers/create-records-handler.js';
export {
  createMultipartHandlers,
  type MultipartHandlerOptions,
  type MultipartHandlers,
  type StartUploadBody,
} from './handlers/create-multipart-handlers.js';
export * from './multipart/index.js';

export {
  issueStsCredentials,
  buildRoleSessionName,
  alibabaStsEndpoint,
  defaultStsDurationSeconds,
  type IssueStsCredentialsOptions,
  type IssuedStsCredentials,
} from './sts/issue-sts-credentials.js';
export {
  buildUserStsPolicy,
  defaultStsActions,
  type RamPolicyDocument,
} from './sts/build-user-sts-policy.js';
export { StsRequestError, type StsCredentials } from './sts/read-sts-response.js';
// The RPC signature lives in the protocol package (shared with the server's local STS); re-exported here
// under the names app-kit has always used.
export {
  signRpcRequest as signStsRequest,
  buildRpcStringToSign as buildStsStringToSign,
  percentEncodeRpc,
} from '@upcall/protocol';

export { toNodeHandler, type NodeHandler, type NodeHandlerOptions } from './adapters/to-node-handler.js';
export {
  createFastifyRoutes,
  type FastifyRoute,
  type FastifyRoutesOptions,
} from './adapters/fastify-routes.js';

export {
  runCallbackVerifyCli,
  callbackVerifyUsage,
  type CallbackVerifyCliIo,
} from './cli/run-callback-verify-cli.js';
export {
  verifyCapturedRequest,
  type CapturedVerification,
  type VerifyCapturedOptions,
} from './cli/verify-captured-request.js';
export { parseCapturedRequest, type CapturedRequest } from './cli/parse-captured-request.js';
