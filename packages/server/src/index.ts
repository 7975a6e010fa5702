// @upcall/server public surface: start or embed the OSS-compatible storage server, run its CLI.
export {
  startServer,
  createUpcallServer,
  buildEndpoint,
  type RunningServer,
  type StartServerOverrides,
} from './server.js';
export { serverNodeFlags } from './node-flags.js';
export { runServerCli, exitOk, exitFailure, exitUsage, type CliIo } from './cli/run-server-cli.js';
export { runKeysCli, type KeysCliIo } from './cli/run-keys-cli.js';
export { parseServerFlags, type ServerFlags, type Env } from './config/parse-server-flags.js';
export { resolveServerConfig, type ResolvedServerConfig } from './config/resolve-server-config.js';
export { serverFlags, type FlagSpec } from './config/server-flags.js';
export { ConfigError } from './config/config-error.js';
export type { ServerConfig, BucketAcl, CallbackTargetPolicy, LogLevel } from './config/server-config.js';
export type {
  CallbackSigningKey,
  Operation,
  RequestContext,
  RequestPrincipal,
  ServerDeps,
} from './http/request-context.js';
export { validateObjectKey, maxObjectKeyBytes } from './operations/validate-object-key.js';
