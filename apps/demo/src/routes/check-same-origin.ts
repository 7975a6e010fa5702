// State-changing demo routes answer only the demo's own page (threats §C6.59): the browser's Origin must
// name this very host. Without Origin (old browsers, curl) Sec-Fetch-Site decides; no header at all is a
// non-browser client, which cookies cannot be forged from.
export function checkSameOrigin(request: Request): boolean {
  const origin = request.headers.get('origin');
  if (origin === null) return request.headers.get('sec-fetch-site') !== 'cross-site';
  try {
    return new URL(origin).host === new URL(request.url).host;
  } catch {
    return false;
  }
}
