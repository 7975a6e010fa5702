// JSON replies with an explicit Content-Length and no BOM: OSS refuses a callback reply without
// Content-Length or with a BOM before the JSON (oss-protocol §9.6, D7/D8).
export function buildJsonResponse(
  status: number,
  json: string,
  headers: Readonly<Record<string, string>> = {},
): Response {
  const bytes = Buffer.from(json, 'utf8');
  return new Response(bytes, {
    status,
    headers: {
      'content-type': 'application/json',
      'content-length': String(bytes.byteLength),
      'cache-control': 'no-store',
      ...headers,
    },
  });
}

/** `{ "error": reason, "message": … }` — what every handler answers on refusal. */
export function buildErrorResponse(status: number, error: string, message?: string): Response {
  return buildJsonResponse(status, JSON.stringify(message === undefined ? { error } : { error, message }));
}
