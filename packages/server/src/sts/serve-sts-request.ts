// The local STS endpoint, `<server>/_upcall/sts` (docs/adr/0009-local-sts.md): RPC requests with their
// parameters in the query (GET) or an `application/x-www-form-urlencoded` body (POST, what ali-oss
// `OSS.STS` sends). Answers and errors are STS documents (render-sts-response.ts), never OSS XML.
import type { IncomingMessage } from 'node:http';
import { assumeRole } from './assume-role.js';
import type { AccessKeyLookup, StsRuntime } from './create-access-key-lookup.js';
import {
  readStsFormat,
  renderAssumeRoleResponse,
  renderStsError,
  type RenderedBody,
} from './render-sts-response.js';
import { isStsError, StsError } from './sts-error.js';
import type { RequestContext } from '../http/request-context.js';

export const stsReservedPath = 'sts';
/** An AssumeRole request is a few KiB at most (2 KiB policy, a token for role chaining). */
export const maxStsBodyBytes = 32 * 1024;

/** The parts of ServerDeps the endpoint uses (`lookupSecret` authenticates the caller). */
export interface StsEndpointDeps {
  readonly sts?: StsRuntime | undefined;
  readonly lookupSecret: AccessKeyLookup;
  readonly now: () => number;
  /** Randomness for temporary key ids and token IVs (tests inject it). */
  readonly stsRandom?: (bytes: number) => Buffer;
}

async function readFormBody(req: IncomingMessage): Promise<string> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type !== 'application/x-www-form-urlencoded') {
    throw new StsError('InvalidParameter', 'The request body must be application/x-www-form-urlencoded.');
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > maxStsBodyBytes) throw new StsError('InvalidParameter', 'The request body is too large.');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Query parameters, then body parameters; a name given twice is refused rather than guessed at. */
function collectParams(rawQuery: string, body: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const source of [rawQuery, body]) {
    for (const [name, value] of new URLSearchParams(source)) {
      if (params.has(name))
        throw new StsError('InvalidParameter', `The parameter "${name}" was given more than once.`);
      params.set(name, value);
    }
  }
  return params;
}

function send(ctx: RequestContext, status: number, rendered: RenderedBody): void {
  const { res } = ctx;
  res.statusCode = status;
  res.setHeader('Content-Type', rendered.contentType);
  res.setHeader('Content-Length', Buffer.byteLength(rendered.body));
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.end(rendered.body);
}

async function readParams(ctx: RequestContext, method: string): Promise<Map<string, string>> {
  if (method === 'GET') return collectParams(ctx.rawQuery, '');
  if (method === 'POST') return collectParams(ctx.rawQuery, await readFormBody(ctx.req));
  throw new StsError('UnsupportedHTTPMethod');
}

/** Answers one STS request. Resolves once the response is sent; unexpected errors propagate. */
export async function serveStsRequest(ctx: RequestContext, deps: StsEndpointDeps): Promise<void> {
  const method = ctx.req.method ?? '';
  let params: Map<string, string> | undefined;
  try {
    if (deps.sts === undefined)
      throw new StsError('InvalidAction.NotFound', 'The local STS is not enabled on this server.');
    params = await readParams(ctx, method);
    const result = assumeRole(
      { method, params },
      {
        sts: deps.sts,
        lookup: deps.lookupSecret,
        nowMs: deps.now(),
        ...(deps.stsRandom ? { random: deps.stsRandom } : {}),
      },
    );
    send(ctx, 200, renderAssumeRoleResponse(result, ctx.requestId, readStsFormat(params)));
  } catch (error) {
    if (!isStsError(error)) throw error;
    const body = { requestId: ctx.requestId, hostId: ctx.hostId, code: error.code, message: error.message };
    send(ctx, error.status, renderStsError(body, readStsFormat(params)));
  }
}
