// `--sts-key`, `--sts-key-file`, `--sts-max-duration` (server-flags.ts stsFlags; docs/configuration.md).
import { resolve } from 'node:path';
import { integer, type FlagReader } from '../config/flag-reader.js';
import {
  defaultDurationSeconds,
  maxRoleDurationSeconds,
  minDurationSeconds,
} from './check-assume-role-params.js';

export interface StsFlags {
  /** The key itself, Base64 (prefer UPCALL_STS_KEY to the flag). */
  readonly stsKey: string | undefined;
  /** Absolute path of an operator-provided key file. */
  readonly stsKeyFile: string | undefined;
  readonly stsMaxDurationSeconds: number;
}

export function readStsFlags(reader: FlagReader, cwd: string): StsFlags {
  const stsKey = reader.one<string | undefined>('sts-key', (text) => text, undefined);
  const file = reader.one<string | undefined>('sts-key-file', (text) => text, undefined);
  if (stsKey !== undefined && file !== undefined)
    reader.problems.push('Give --sts-key or --sts-key-file, not both.');
  return {
    stsKey,
    stsKeyFile: file === undefined ? undefined : resolve(cwd, file),
    stsMaxDurationSeconds: reader.one(
      'sts-max-duration',
      integer(minDurationSeconds, maxRoleDurationSeconds),
      defaultDurationSeconds,
    ),
  };
}
