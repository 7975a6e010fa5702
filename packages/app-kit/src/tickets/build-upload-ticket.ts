// Builds a secure-by-default upload ticket (architecture §4, oss-protocol §4.7, §13): short expiry, exact
// per-user key, size range, content types, and every field the application relies on pinned with an exact
// condition — OSS accepts fields the policy does not mention, so an unpinned `callback` or `x:` variable
// could be swapped by the uploader (threats §B12). Pure: clock and randomness are options.
import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import { buildPostPolicy, type PostPolicyConditionInput } from '@upcall/protocol';
import type { NewUploadRecord } from '../records/upload-record-store.js';
import { buildTicketCallbackParam, buildTicketVars } from './build-ticket-callback.js';
import {
  checkTicketTarget,
  resolveTicketExpiry,
  resolveTicketKey,
  resolveTicketLimits,
  type TicketLimits,
} from './resolve-ticket-options.js';
import { buildTicketAuthFields, signTicketPolicy } from './sign-ticket-policy.js';
import type { UploadTicket, UploadTicketOptions } from './upload-ticket.js';

export interface BuiltUploadTicket {
  readonly ticket: UploadTicket;
  /** The pending record to store before the ticket is handed out. */
  readonly record: NewUploadRecord;
  /** The decoded policy JSON, for logs and tests. */
  readonly policyJson: string;
}

/** 16 random bytes, base64url: the one-time id bound into the callback body (anchors §7.3). */
function buildUploadId(random: Uint8Array): string {
  return Buffer.from(random).toString('base64url');
}

interface TicketParts {
  readonly key: string | undefined;
  readonly keyPrefix: string;
  readonly limits: TicketLimits;
  /** Fields pinned with an exact `{"field": value}` condition and sent verbatim (§4.3 object form). */
  readonly pinned: ReadonlyArray<readonly [string, string]>;
}

function buildConditions(options: UploadTicketOptions, parts: TicketParts): PostPolicyConditionInput[] {
  const { key, keyPrefix, limits } = parts;
  return [
    { bucket: options.bucket },
    key === undefined ? ['starts-with', '$key', keyPrefix] : ['eq', '$key', key],
    ['content-length-range', limits.minSizeBytes, limits.maxSizeBytes],
    ...(limits.allowedContentTypes === undefined
      ? []
      : [['in', '$content-type', [...limits.allowedContentTypes]] as PostPolicyConditionInput]),
    ...parts.pinned.map(([field, value]) => ({ [field]: value })),
  ];
}

/** Form fields in sending order: key, Content-Type, pinned fields, then policy and signature (§3.2). */
function buildFields(
  parts: TicketParts,
  signed: ReadonlyArray<readonly [string, string]>,
): Record<string, string> {
  const fields: Record<string, string> = {};
  if (parts.key !== undefined) fields.key = parts.key;
  if (parts.limits.contentType !== undefined) fields['Content-Type'] = parts.limits.contentType;
  for (const [field, value] of [...parts.pinned, ...signed]) fields[field] = value;
  return fields;
}

function buildPendingRecord(
  options: UploadTicketOptions,
  parts: TicketParts,
  ids: { uploadId: string; nowMs: number; expirationMs: number },
): NewUploadRecord {
  return {
    id: ids.uploadId,
    userId: options.userId,
    bucket: options.bucket,
    key: parts.key ?? parts.keyPrefix,
    keyIsPrefix: parts.key === undefined,
    createdAtMs: ids.nowMs,
    expiresAtMs: ids.expirationMs,
    appData: options.appData === undefined ? null : JSON.stringify(options.appData),
  };
}

export function buildUploadTicket(options: UploadTicketOptions): BuiltUploadTicket {
  const random = options.randomBytes ?? ((size: number) => cryptoRandomBytes(size));
  const nowMs = (options.now?.() ?? new Date()).getTime();
  checkTicketTarget(options);
  const { key, keyPrefix } = resolveTicketKey(options, random(16));
  const limits = resolveTicketLimits(options);
  const expirationMs = resolveTicketExpiry(options, nowMs);
  const uploadId = buildUploadId(random(16));
  const vars = buildTicketVars(uploadId, options.callback.vars);
  const callback = buildTicketCallbackParam(
    options.callback,
    vars.map(([name]) => name),
  );
  const auth = buildTicketAuthFields(options, nowMs);
  const pinned: Array<readonly [string, string]> = [
    ['success_action_status', '200'], // §13.4: XHR-friendly; with a callback OSS answers 200 anyway (§9.6)
    ...(options.forbidOverwrite === false ? [] : [['x-oss-forbid-overwrite', 'true'] as const]),
    ['callback', callback],
    ...vars,
    ...auth.pinned,
  ];
  const parts: TicketParts = { key, keyPrefix, limits, pinned };
  const policy = buildPostPolicy({
    expiration: new Date(expirationMs),
    conditions: buildConditions(options, parts),
  });
  const ticket: UploadTicket = {
    host: options.host,
    fields: buildFields(parts, signTicketPolicy(options, policy.base64, nowMs)),
    expire: Math.floor(expirationMs / 1000),
    ...(key === undefined ? { keyPrefix } : { key }),
    uploadId,
    maxSizeBytes: limits.maxSizeBytes,
    minSizeBytes: limits.minSizeBytes,
    ...(limits.allowedContentTypes === undefined ? {} : { allowedContentTypes: limits.allowedContentTypes }),
    signatureVersion: auth.signatureVersion,
  };
  const record = buildPendingRecord(options, parts, { uploadId, nowMs, expirationMs });
  return { ticket, record, policyJson: policy.json };
}
