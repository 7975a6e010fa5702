// Active content on GetObject/HeadObject (threats §C2 item 26, (P)). A policy that does not restrict
// Content-Type lets an uploader store `text/html` or `image/svg+xml`; served inline from the storage
// origin, such a file runs script there (stored XSS against everything that origin can reach: its
// cookies, other objects, presigned URLs in the page). `nosniff` stops a browser from upgrading a
// harmless type, not from rendering a declared active one. So, by default, an active type is sent with
// `Content-Disposition: attachment`: browsers download it instead of rendering it. The uploader's own
// Content-Disposition (a form field, unsigned unless the policy pins it) cannot turn this off; a
// `response-content-disposition` on a signed request (the key holder's explicit choice) can, and
// `--active-content-disposition inline` turns the rule off for the whole server.
import type { ServerResponse } from 'node:http';

export type ActiveContentDisposition = 'attachment' | 'inline';

/** Types a browser renders with script, or as a document that can carry script. */
const activeTypes: ReadonlySet<string> = new Set([
  'text/html',
  'application/xhtml+xml',
  'image/svg+xml',
  'text/xml',
  'application/xml',
  'text/xsl',
  'application/xslt+xml',
  'text/javascript',
  'application/javascript',
  'application/x-javascript',
  'text/ecmascript',
  'application/ecmascript',
  'application/pdf',
  'application/x-shockwave-flash',
  'application/vnd.wap.xhtml+xml',
  'multipart/x-mixed-replace',
]);

/** The media type of a Content-Type value, lower-cased, without parameters. */
function mediaTypeOf(contentType: string): string {
  return (contentType.split(';', 1)[0] ?? '').trim().toLowerCase();
}

export function isActiveContentType(contentType: string): boolean {
  const type = mediaTypeOf(contentType);
  // Any XML document type (`application/rss+xml`, `image/svg+xml`…) may be rendered as XML with XSLT.
  return activeTypes.has(type) || type.endsWith('+xml');
}

/**
 * `attachment`, keeping the parameters of the stored value (its file name): `inline; filename="a.html"`
 * → `attachment; filename="a.html"`. A stored `attachment…` stays as it is.
 */
export function buildAttachmentDisposition(stored: string | undefined): string {
  if (stored === undefined) return 'attachment';
  const semicolon = stored.indexOf(';');
  const type = (semicolon === -1 ? stored : stored.slice(0, semicolon)).trim().toLowerCase();
  if (type === 'attachment') return stored;
  return semicolon === -1 ? 'attachment' : `attachment${stored.slice(semicolon)}`;
}

function headerText(res: ServerResponse, name: string): string | undefined {
  const value = res.getHeader(name);
  return typeof value === 'string' ? value : undefined;
}

/**
 * Applied once the response headers are set: forces `attachment` for an active Content-Type unless the
 * mode is `inline` or the signed request chose a disposition itself (`overrideDisposition`).
 */
export function applyActiveContentDisposition(
  res: ServerResponse,
  mode: ActiveContentDisposition,
  overrideDisposition: boolean,
): void {
  if (mode === 'inline' || overrideDisposition) return;
  const contentType = headerText(res, 'Content-Type') ?? '';
  if (!isActiveContentType(contentType)) return;
  res.setHeader('Content-Disposition', buildAttachmentDisposition(headerText(res, 'Content-Disposition')));
}
