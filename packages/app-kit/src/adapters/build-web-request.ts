// Node request parts → Web Request, shared by the node:http/Express and Fastify adapters.
import type { IncomingHttpHeaders } from 'node:http';

/**
 * Concatenates instead of resolving against a base: `//evil.example/x` must stay a path on our host, not
 * become a request "to" evil.example (the ticket handler compares Origin with this URL's host).
 */
function buildRequestUrl(host: string, target: string): URL {
  try {
    return new URL(`http://${host}${target.startsWith('/') ? target : '/'}`);
  } catch {
    return new URL(`http://${host}/`);
  }
}

export function buildWebRequest(
  method: string,
  target: string,
  nodeHeaders: IncomingHttpHeaders,
  body: Uint8Array | undefined,
): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(nodeHeaders)) {
    if (value === undefined) continue;
    headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const hostHeader = nodeHeaders.host ?? '';
  const host = /^[A-Za-z0-9.:[\]-]+$/.test(hostHeader) ? hostHeader : 'localhost';
  const hasBody = method !== 'GET' && method !== 'HEAD' && body !== undefined;
  return new Request(buildRequestUrl(host, target), {
    method,
    headers,
    ...(hasBody ? { body: new Uint8Array(body) } : {}),
  });
}

/** A Web Response's headers and bytes, with an explicit Content-Length (OSS requires it, §9.6). */
export async function readResponseParts(
  response: Response,
): Promise<{ headers: Record<string, string>; body: Buffer }> {
  const body = Buffer.from(await response.arrayBuffer());
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  headers['content-length'] = String(body.length);
  return { headers, body };
}
