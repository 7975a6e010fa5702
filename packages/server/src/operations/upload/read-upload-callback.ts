// The upload callback of PutObject and CompleteMultipartUpload (oss-protocol §8.3): either the headers
// `x-oss-callback` / `x-oss-callback-var` or the (presigned-URL) query parameters `callback` /
// `callback-var` — never both ways at once (InvalidArgument, §8.6). Each is limited to 5 KB (§8.2, D6).
// Everything that could fail later — syntax, template, target policy — fails here, before a byte is
// stored (§8.6 INFERRED; threats §C5.40/47).
import type { IncomingHttpHeaders } from 'node:http';
import {
  OssError,
  callbackParamNames,
  defaultCallbackParamMaxBytes,
  parseCallbackParam,
  parseCallbackVar,
  type CallbackConfig,
  type CallbackCustomVars,
} from '@upcall/protocol';
import type { CallbackTargetPolicy } from '../../config/server-config.js';
import { checkCallbackTargets } from '../../callback/check-callback-targets.js';
import { readHeader } from './read-object-meta-headers.js';

export interface UploadCallbackRequest {
  readonly config: CallbackConfig;
  readonly customVars: CallbackCustomVars;
  /** Whether the template uses `${imageInfo.*}` (decides whether the body's head is kept). */
  readonly needsImageInfo: boolean;
}

export interface UploadCallbackSource {
  readonly headers: IncomingHttpHeaders;
  readonly query: ReadonlyArray<readonly [string, string]>;
  readonly targetPolicy: CallbackTargetPolicy;
}

/** True when the callback body template uses an `${imageInfo.*}` system variable (§8.4). */
export function checkNeedsImageInfo(config: CallbackConfig): boolean {
  return config.template.some((part) => part.kind === 'variable' && part.name.startsWith('imageInfo.'));
}

/** The first value of a query parameter: "the first configured value is used" (§6.2, D12). */
function readQueryParam(query: UploadCallbackSource['query'], name: string): string | undefined {
  return query.find(([candidate]) => candidate === name)?.[1];
}

function readParams(source: UploadCallbackSource): { callback?: string; callbackVar?: string } {
  const header = readHeader(source.headers, callbackParamNames.header);
  const headerVar = readHeader(source.headers, callbackParamNames.varHeader);
  const query = readQueryParam(source.query, callbackParamNames.query);
  const queryVar = readQueryParam(source.query, callbackParamNames.varQuery);
  const viaHeader = header !== undefined || headerVar !== undefined;
  const viaQuery = query !== undefined || queryVar !== undefined;
  if (viaHeader && viaQuery) {
    throw new OssError('InvalidArgument', {
      message: 'The callback parameters must be passed either in headers or in the URL, not both.',
      extra: [['ArgumentName', callbackParamNames.query]],
    });
  }
  const callback = viaHeader ? header : query;
  const callbackVar = viaHeader ? headerVar : queryVar;
  return {
    ...(callback === undefined ? {} : { callback }),
    ...(callbackVar === undefined ? {} : { callbackVar }),
  };
}

/** Undefined when the request configures no callback; throws OssError InvalidArgument when it is bad. */
export function readUploadCallback(source: UploadCallbackSource): UploadCallbackRequest | undefined {
  const { callback, callbackVar } = readParams(source);
  const maxBytes = defaultCallbackParamMaxBytes;
  // A callback-var without a callback has no effect, but a malformed one is still the client's error.
  const customVars =
    callbackVar === undefined || callbackVar === '' ? {} : parseCallbackVar(callbackVar, { maxBytes });
  if (callback === undefined || callback === '') return undefined;
  const config = parseCallbackParam(callback, { maxBytes });
  const targets = checkCallbackTargets(config, source.targetPolicy);
  if (!targets.ok) throw targets.error;
  return { config, customVars, needsImageInfo: checkNeedsImageInfo(config) };
}
