// The one handler shape of app-kit: a Web Request in, a Response out (Hono, Next.js route handlers, Bun and
// Deno use it as is; adapters serve node:http, Express and Fastify).
export interface HandlerContext {
  /**
   * The request-target exactly as received (Node's `req.url`). The callback signature covers the raw path
   * and query (§9.3), and `new URL()` may re-encode them; adapters fill this in. When absent, handlers use
   * the URL's pathname + search, which is right for every target `new URL()` leaves unchanged.
   */
  readonly rawTarget?: string;
}

export type WebHandler = (request: Request, context?: HandlerContext) => Promise<Response>;

export function readRawTarget(request: Request, context: HandlerContext | undefined): string {
  if (context?.rawTarget !== undefined) return context.rawTarget;
  const url = new URL(request.url);
  return url.pathname + url.search;
}

/** Lower-case header record, as verifyCallback expects. */
export function readHeaderRecord(request: Request): Record<string, string> {
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = value;
  });
  return headers;
}
