// Mounts Web handlers as Fastify routes inside their own encapsulated context, whose only content-type
// parser keeps the raw bytes: Fastify's default JSON/form parsers would consume and re-encode the body
// OSS signed (§9.3, §13.1). Register it as a plain plugin (not fastify-plugin), so the raw parser does not
// leak into the application's other routes:  app.register(createFastifyRoutes([...]), { prefix: '/upload' })
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import type { WebHandler } from '../handlers/web-handler.js';
import { buildWebRequest, readResponseParts } from './build-web-request.js';

export interface FastifyRoute {
  readonly method: HTTPMethods | HTTPMethods[];
  /** Path relative to the plugin's prefix. */
  readonly url: string;
  readonly handler: WebHandler;
}

export interface FastifyRoutesOptions {
  /** Default 64 KiB; larger bodies get Fastify's own 413. */
  readonly maxBodyBytes?: number;
}

async function serve(
  handler: WebHandler,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const target = request.raw.url ?? request.url; // raw: exactly as received, before Fastify's routing
  const body = Buffer.isBuffer(request.body) ? request.body : undefined;
  const response = await handler(buildWebRequest(request.method, target, request.headers, body), {
    rawTarget: target,
  });
  const parts = await readResponseParts(response);
  return reply.code(response.status).headers(parts.headers).send(parts.body);
}

export function createFastifyRoutes(
  routes: readonly FastifyRoute[],
  options: FastifyRoutesOptions = {},
): (instance: FastifyInstance) => Promise<void> {
  const bodyLimit = options.maxBodyBytes ?? 64 * 1024;
  return (instance) => {
    instance.removeAllContentTypeParsers();
    instance.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_request, body, done) =>
      done(null, body),
    );
    for (const route of routes) {
      instance.route({
        method: route.method,
        url: route.url,
        bodyLimit,
        handler: (request, reply) => serve(route.handler, request, reply),
      });
    }
    return Promise.resolve();
  };
}
