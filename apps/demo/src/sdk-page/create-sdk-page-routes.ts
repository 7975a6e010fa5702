// GET /sdk (the page; sets the demo_uid cookie on first load, like /), /sdk.js (its bundled script) and
// /oss-sdk.js (ali-oss's own browser build). Same CSP as the main page.
import type { WebHandler } from '@upcall/app-kit';
import { buildDemoUserCookie, createDemoUserId, readDemoUserId } from '../demo-user.js';
import { buildContentSecurityPolicy, onlyGet, serveText } from '../page/create-page-routes.js';
import { renderSdkPage } from './render-sdk-page.js';

export interface SdkPageScripts {
  /** The page script (bundleSdkPageScript). */
  readonly script: string;
  /** ali-oss's dist/aliyun-oss-sdk.min.js (readOssSdkScript). */
  readonly ossSdk: string;
}

export interface SdkPageRoutesOptions extends SdkPageScripts {
  readonly storageOrigin: string;
  readonly createUserId?: () => string;
}

export function createSdkPageRoutes(options: SdkPageRoutesOptions): Array<[string, WebHandler]> {
  const html = renderSdkPage();
  const csp = buildContentSecurityPolicy(new URL(options.storageOrigin).origin);
  const createUserId = options.createUserId ?? createDemoUserId;
  const script = 'text/javascript; charset=utf-8';
  return [
    [
      '/sdk',
      onlyGet((request) => {
        const headers: Record<string, string> = {
          'content-security-policy': csp,
          'referrer-policy': 'no-referrer',
          'cache-control': 'no-store',
        };
        if (readDemoUserId(request.headers.get('cookie')) === undefined)
          headers['set-cookie'] = buildDemoUserCookie(createUserId());
        return serveText(html, 'text/html; charset=utf-8', headers);
      }),
    ],
    ['/sdk.js', onlyGet(() => serveText(options.script, script, { 'cache-control': 'no-cache' }))],
    ['/oss-sdk.js', onlyGet(() => serveText(options.ossSdk, script, { 'cache-control': 'no-cache' }))],
  ];
}
