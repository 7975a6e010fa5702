// ServerConfig.sts → the keys and limits the STS endpoint and the auth lookups share.
import type { ServerConfig } from '../config/server-config.js';
import { defaultDurationSeconds } from './check-assume-role-params.js';
import type { StsRuntime } from './create-access-key-lookup.js';
import { deriveStsKeys } from './sts-token.js';

export function buildStsRuntime(config: Pick<ServerConfig, 'sts'>): StsRuntime | undefined {
  if (config.sts === undefined) return undefined;
  return {
    keys: deriveStsKeys(config.sts.key),
    maxDurationSeconds: config.sts.maxDurationSeconds ?? defaultDurationSeconds,
  };
}
