// The upload callback (oss-protocol §9): render the body once, then POST it, signed, to each callbackUrl
// in order until one answers as OSS requires (§9.6); every attempt gets its own deadline (§9.1 UNKNOWN,
// decided: per URL) and one log line. Resolves — never rejects on the target's behaviour — with either
// the reply to relay or the message of the LAST failure (§9.1 UNKNOWN, decided) for a 203.
import type { LookupFunction } from 'node:net';
import type { Logger } from 'pino';
import {
  buildCallbackRequest,
  callbackFailureMessage,
  checkCallbackResponse,
  maxCallbackResponseBytes,
  renderCallbackBody,
  type CallbackConfig,
  type CallbackUrl,
  type CallbackVars,
} from '@upcall/protocol';
import type { CallbackSigningKey } from '../http/request-context.js';
import { sendCallbackRequest, type CallbackAttemptResult } from './send-callback-request.js';

export interface UploadCallbackInput {
  readonly config: CallbackConfig;
  readonly vars: CallbackVars;
  readonly requestId: string;
  readonly bucket: string;
  readonly signingKey: CallbackSigningKey;
  readonly now: () => number;
  readonly timeoutMs: number;
  readonly lookup: LookupFunction | undefined;
  readonly log: Logger;
}

export type UploadCallbackOutcome =
  | { readonly ok: true; readonly contentType: string; readonly body: Buffer }
  | { readonly ok: false; readonly message: string; readonly ec: string | undefined };

function mediaTypeOf(value: string | undefined): string {
  return (value ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? '';
}

/** Turns one attempt into the outcome OSS would report for it (§9.6 message table). */
function judgeAttempt(
  result: CallbackAttemptResult,
  url: CallbackUrl,
  input: UploadCallbackInput,
  costMs: number,
): UploadCallbackOutcome {
  switch (result.kind) {
    case 'connect':
    case 'tls':
      return { ok: false, message: callbackFailureMessage(result.kind), ec: undefined };
    case 'timeout': {
      const detail = { authority: `${url.hostname}:${url.port}`, costMs, timeoutMs: input.timeoutMs };
      return { ok: false, message: callbackFailureMessage('timeout', detail), ec: undefined };
    }
    case 'response': {
      const verdict = checkCallbackResponse(result);
      if (!verdict.ok) return { ok: false, message: verdict.message, ec: verdict.ec };
      // Relay the reply's own Content-Type only when it names the type we validated (keeps a charset);
      // never reflect e.g. text/html from whatever answered (threats §B12).
      const declared = result.headers['content-type'];
      const contentType =
        mediaTypeOf(declared) === verdict.contentType && declared ? declared : verdict.contentType;
      return { ok: true, contentType, body: result.bodyBytes };
    }
  }
}

function describeTarget(url: CallbackUrl): string {
  // Origin and path only: a query string may carry the app's secrets.
  return `${url.protocol}//${url.host}${url.requestTarget.split('?', 1)[0] ?? ''}`;
}

export async function sendUploadCallback(input: UploadCallbackInput): Promise<UploadCallbackOutcome> {
  const { config, signingKey } = input;
  const body = renderCallbackBody(config, input.vars);
  let outcome: UploadCallbackOutcome = {
    ok: false,
    message: callbackFailureMessage('connect'),
    ec: undefined,
  };
  for (const url of config.urls) {
    const request = await buildCallbackRequest({
      url,
      config,
      body,
      publicKeyUrl: signingKey.publicKeyUrl,
      requestId: input.requestId,
      bucket: input.bucket,
      dateMs: input.now(),
      privateKey: signingKey.privateKey,
    });
    const startedMs = performance.now();
    const result = await sendCallbackRequest(request, {
      timeoutMs: input.timeoutMs,
      sni: config.sni,
      maxResponseBytes: maxCallbackResponseBytes,
      lookup: input.lookup,
    });
    const durationMs = Math.round(performance.now() - startedMs);
    outcome = judgeAttempt(result, url, input, durationMs);
    input.log.info(
      {
        requestId: input.requestId,
        target: describeTarget(url),
        status: result.kind === 'response' ? result.status : -1,
        durationMs,
        outcome: outcome.ok ? 'ok' : outcome.message,
        ...(result.kind === 'response' ? {} : { err: result.error.message }),
      },
      'upload callback attempt',
    );
    if (outcome.ok) return outcome;
  }
  return outcome;
}
