// Authentication of an STS RPC request (Alibaba Cloud "RPC API signature", SignatureVersion 1.0): the
// common parameters, the timestamp window, the caller's key — a permanent key, or a temporary one with
// its SecurityToken (role chaining) — and the HMAC-SHA1 signature, compared in constant time. Throws
// StsError with the RPC error codes.
import { timingSafeEqual } from 'node:crypto';
import { isOssError } from '@upcall/protocol';
import { signRpcRequest } from '@upcall/protocol';
import { StsError } from './sts-error.js';
import { mismatchedTokenEc, type AccessKeyLookup, type ServerAccessKey } from './create-access-key-lookup.js';
import { isTemporaryAccessKeyId } from './sts-token.js';

/** RPC requests are valid for 15 minutes either side of the server clock (INFERRED from the RPC docs). */
export const maxRpcSkewMs = 15 * 60 * 1000;

export interface RpcRequest {
  readonly method: string;
  readonly params: ReadonlyMap<string, string>;
}

export interface RpcCaller {
  readonly accessKeyId: string;
  readonly key: ServerAccessKey;
}

function readRequired(params: ReadonlyMap<string, string>, name: string): string {
  const value = params.get(name);
  if (value === undefined || value === '') {
    throw new StsError(
      'MissingParameter',
      `The input parameter "${name}" that is mandatory for processing this request is not supplied.`,
    );
  }
  return value;
}

/** `YYYY-MM-DDThh:mm:ssZ` (the documented form) or with milliseconds (ali-oss `toISOString()`). */
function parseTimestamp(text: string): number {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/.test(text))
    throw new StsError('InvalidTimeStamp.Format');
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new StsError('InvalidTimeStamp.Format');
  return ms;
}

function checkCommonParams(params: ReadonlyMap<string, string>, nowMs: number): void {
  if (readRequired(params, 'Version') !== '2015-04-01') throw new StsError('InvalidVersion');
  const format = params.get('Format');
  if (format !== undefined && format.toUpperCase() !== 'JSON' && format.toUpperCase() !== 'XML') {
    throw new StsError('InvalidParameter', 'The specified parameter "Format" is not valid.');
  }
  if (readRequired(params, 'SignatureMethod') !== 'HMAC-SHA1')
    throw new StsError('UnsupportedSignatureMethod');
  if (readRequired(params, 'SignatureVersion') !== '1.0') {
    throw new StsError('InvalidParameter', 'The specified parameter "SignatureVersion" is not valid.');
  }
  readRequired(params, 'SignatureNonce');
  const timestampMs = parseTimestamp(readRequired(params, 'Timestamp'));
  if (Math.abs(nowMs - timestampMs) > maxRpcSkewMs) throw new StsError('InvalidTimeStamp.Expired');
}

function lookupCaller(
  lookup: AccessKeyLookup,
  accessKeyId: string,
  token: string | undefined,
): ServerAccessKey {
  let key: ServerAccessKey | undefined;
  try {
    key = lookup(accessKeyId, token);
  } catch (error) {
    if (!isOssError(error)) throw error;
    if (error.code === 'SecurityTokenExpired') throw new StsError('InvalidSecurityToken.Expired');
    const mismatched = error.ec === mismatchedTokenEc;
    throw new StsError(
      mismatched ? 'InvalidSecurityToken.MismatchWithAccessKey' : 'InvalidSecurityToken.Malformed',
    );
  }
  if (key !== undefined) return key;
  if (isTemporaryAccessKeyId(accessKeyId) && token === undefined) throw new StsError('MissingSecurityToken');
  throw new StsError('InvalidAccessKeyId.NotFound');
}

function signaturesEqual(provided: string, expected: string): boolean {
  const a = Buffer.from(provided, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

export function verifyRpcRequest(request: RpcRequest, lookup: AccessKeyLookup, nowMs: number): RpcCaller {
  const { params } = request;
  checkCommonParams(params, nowMs);
  const accessKeyId = readRequired(params, 'AccessKeyId');
  const signature = params.get('Signature');
  if (signature === undefined || signature === '') throw new StsError('IncompleteSignature');
  const token = params.get('SecurityToken');
  const key = lookupCaller(lookup, accessKeyId, token === '' ? undefined : token);
  if (!signaturesEqual(signature, signRpcRequest(request.method, params, key.secret))) {
    throw new StsError('SignatureDoesNotMatch');
  }
  return { accessKeyId, key };
}
