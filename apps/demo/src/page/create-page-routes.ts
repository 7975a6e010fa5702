// GET / (the page; sets the demo_uid cookie on first load), /app.js (the bundled client) and /app.css.
// A strict CSP: scripts and styles only from this origin, network and images only here and at storage.
import type { WebHandler } from '@upcall/app-kit';
import type { DemoLimits } from '../demo-limits.js';
import { buildDemoUserCookie, createDemoUserId, readDemoUserId } from '../demo-user.js';
import { demoPageCss } from './page-styles.js';
import { renderDemoPage } from './render-demo-page.js';

export interface PageRoutesOptions {
  readonly limits: DemoLimits;
  /** The bundled page script (bundlePageScript). */
  readonly script: string;
  /** Storage origin the page uploads to and loads thumbnails from. */
  readonly storageOrigin: string;
  readonly createUserId?: () => string;
}

export interface PageRoutes {
  readonly page: WebHandler;
  readonly script: WebHandler;
  readonly styles: WebHandler;
}

export function buildContentSecurityPolicy(storageOrigin: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src 'self' ${storageOrigin}`,
    `connect-src 'self' ${storageOrigin}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** A 200 text response that browsers must not sniff (the /sdk page's routes use it too). */
export function serveText(body: string, contentType: string, extra: Record<string, string> = {}): Response {
  return new Response(body, {
    status: 200,
    headers: { 'content-type': contentType, 'x-content-type-options': 'nosniff', ...extra },
  });
}

/** GET and HEAD reach the handler; any other method is 405 with `Allow`. */
export function onlyGet(handler: (request: Request) => Response): WebHandler {
  return (request) =>
    Promise.resolve(
      request.method === 'GET' || request.method === 'HEAD'
        ? handler(request)
        : new Response('Method not allowed', { status: 405, headers: { allow: 'GET, HEAD' } }),
    );
}

export function createPageRoutes(options: PageRoutesOptions): PageRoutes {
  const html = renderDemoPage({ limits: options.limits });
  const csp = buildContentSecurityPolicy(new URL(options.storageOrigin).origin);
  const createUserId = options.createUserId ?? createDemoUserId;
  return {
    page: onlyGet((request) => {
      const headers: Record<string, string> = {
        'content-security-policy': csp,
        'referrer-policy': 'no-referrer',
        'cache-control': 'no-store',
      };
      if (readDemoUserId(request.headers.get('cookie')) === undefined)
        headers['set-cookie'] = buildDemoUserCookie(createUserId());
      return serveText(html, 'text/html; charset=utf-8', headers);
    }),
    script: onlyGet(() =>
      serveText(options.script, 'text/javascript; charset=utf-8', { 'cache-control': 'no-cache' }),
    ),
    styles: onlyGet(() => serveText(demoPageCss, 'text/css; charset=utf-8', { 'cache-control': 'no-cache' })),
  };
}
