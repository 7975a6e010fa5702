// The /sdk page's two scripts, loaded once at app start. ali-oss is served as its own prebuilt browser
// build (dist/aliyun-oss-sdk.min.js, a UMD bundle that sets window.OSS), the file Alibaba documents for
// <script> use: re-bundling the Node sources would need Node polyfills (buffer, stream, process) and
// pulling the browserify bundle through esbuild's CommonJS interop is not what the SDK is tested with.
// The page's own script is bundled with esbuild like the main page's, and finds OSS on window.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { bundlePageScript } from '../page/bundle-page-script.js';
import type { SdkPageScripts } from './create-sdk-page-routes.js';

export const sdkPageScriptEntry = fileURLToPath(new URL('./browser/sdk-page-script.ts', import.meta.url));

export function resolveOssSdkPath(): string {
  return createRequire(import.meta.url).resolve('ali-oss/dist/aliyun-oss-sdk.min.js');
}

export async function loadSdkPageScripts(): Promise<SdkPageScripts> {
  const [script, ossSdk] = await Promise.all([
    bundlePageScript(sdkPageScriptEntry),
    readFile(resolveOssSdkPath(), 'utf8'),
  ]);
  return { script, ossSdk };
}
