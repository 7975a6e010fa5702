// Everything the /sdk page adds to the demo app, in one call for create-demo-app.ts: the page and its
// scripts (loaded once here) and the two API routes (routes/create-sdk-routes.ts).
import type { WebHandler } from '@upcall/app-kit';
import { createSdkRoutes, type SdkRoutesOptions } from '../routes/create-sdk-routes.js';
import { createSdkPageRoutes, type SdkPageScripts } from './create-sdk-page-routes.js';
import { loadSdkPageScripts } from './load-sdk-page-scripts.js';

export interface SdkDemoRoutesOptions extends SdkRoutesOptions {
  /** Default loadSdkPageScripts() (esbuild bundle + ali-oss's browser build). */
  readonly scripts?: SdkPageScripts;
}

export async function createSdkDemoRoutes(
  options: SdkDemoRoutesOptions,
): Promise<Array<[string, WebHandler]>> {
  const scripts = options.scripts ?? (await loadSdkPageScripts());
  return [
    ...createSdkPageRoutes({ ...scripts, storageOrigin: options.storage.endpoint }),
    ...createSdkRoutes(options),
  ];
}
