// JSON replies of the demo's own routes: never cached (they are per user), never sniffed.
export function replyJson(status: number, value: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(value), {
    status,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      ...headers,
    },
  });
}

/** `{ error, message }`, the same refusal shape as app-kit's handlers. */
export function replyError(status: number, error: string, message?: string): Response {
  return replyJson(status, message === undefined ? { error } : { error, message });
}
