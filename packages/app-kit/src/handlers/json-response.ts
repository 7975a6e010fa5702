// JSON replies with an explicit Content-Length and no BOM: OSS refuses a callback reply without
// Content-Length or with a BOM before the JSON (oss-protocol §9.6, D7/D8).
export function buildJsonResponse(
  status: number,
  json: string,
  headers: Readonly<Record<string, string>> = {},
): Response {
  const bytes = Buffer.from(json, 'utf8');
  return new Response(bytes, { status, headers: { ...buildJsonHeaders(bytes.byteLength), ...headers } });
}

/** The JSON headers every reply carries: OSS needs the explicit Content-Length (§9.6). */
export function buildJsonHeaders(byteLength: number): Record<string, string> {
  return {
    'content-type': 'application/json',
    'content-length': String(byteLength),
    'cache-control': 'no-store',
  };
}

/** `{ "error": reason, "message": … }` — the refusal body of every handler. */
export function buildErrorJson(error: string, message?: string): string {
  return JSON.stringify(message === undefined ? { error } : { error, message });
}

/** A refusal as a Response. */
export function buildErrorResponse(status: number, error: string, message?: string): Response {
  return buildJsonResponse(status, buildErrorJson(error, message));
}
