// Adapter for the JSON of Alibaba's official app-server demos (anchors §1a/§1b; oss-protocol §1 step 2):
// V1 `{ accessid, host, policy, signature, expire, dir, callback }`, and the newer V4 variant
// `{ host, policy, signature, x_oss_signature_version, x_oss_credential, x_oss_date, dir, security_token }`.
// The official upload.js sends `key, policy, OSSAccessKeyId, success_action_status, callback, signature`
// then the file; field order before `file` does not matter to OSS (§3.2).
import type { Ticket } from './ticket.js';
import { TicketError } from './upload-errors.js';

function readString(record: Record<string, unknown>, name: string, required: boolean): string | undefined {
  const value = record[name];
  if (value === undefined || value === null || value === '') {
    if (required) throw new TicketError(`Invalid upload ticket: the demo JSON has no \`${name}\``);
    return undefined;
  }
  if (typeof value !== 'string') throw new TicketError(`Invalid upload ticket: \`${name}\` must be a string`);
  return value;
}

function readAuthFields(record: Record<string, unknown>): Array<[string, string]> {
  const signature = readString(record, 'signature', true) ?? '';
  const version = readString(record, 'x_oss_signature_version', false);
  if (version === undefined) {
    return [
      ['OSSAccessKeyId', readString(record, 'accessid', true) ?? ''],
      ['Signature', signature],
    ];
  }
  return [
    ['x-oss-signature-version', version],
    ['x-oss-credential', readString(record, 'x_oss_credential', true) ?? ''],
    ['x-oss-date', readString(record, 'x_oss_date', true) ?? ''],
    ['x-oss-signature', signature],
  ];
}

function readExpire(record: Record<string, unknown>): number | undefined {
  const value = record['expire'];
  const seconds = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof seconds === 'number' && Number.isFinite(seconds) ? seconds : undefined;
}

/**
 * Turns an official-demo ticket into a {@link Ticket}. With `fileName` the object key is `dir + fileName`
 * and the ticket is bound to that file; without it the ticket is a prefix ticket (`keyPrefix = dir`) and
 * `uploadFile` names each object `dir + <file name>`, so one ticket can serve several files until expiry.
 */
export function ticketFromOfficialDemo(json: unknown, fileName?: string): Ticket {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new TicketError('Invalid upload ticket: expected the demo JSON object');
  }
  const record = json as Record<string, unknown>;
  const dir = readString(record, 'dir', false) ?? '';
  const securityToken = readString(record, 'security_token', false);
  const callback = readString(record, 'callback', false);
  const fields: Array<[string, string]> = [
    ...(fileName === undefined ? [] : [['key', dir + fileName] as [string, string]]),
    ['policy', readString(record, 'policy', true) ?? ''],
    ...readAuthFields(record),
    ...(securityToken === undefined ? [] : [['x-oss-security-token', securityToken] as [string, string]]),
    // §13.4: ask for 200 instead of the default 204; with a callback OSS answers 200 anyway (§9.6).
    ['success_action_status', '200'],
    ...(callback === undefined ? [] : [['callback', callback] as [string, string]]),
  ];
  const expire = readExpire(record);
  return {
    host: readString(record, 'host', true) ?? '',
    fields,
    ...(expire === undefined ? {} : { expire }),
    ...(fileName === undefined ? { keyPrefix: dir } : { key: dir + fileName }),
  };
}
