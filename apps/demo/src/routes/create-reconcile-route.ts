// POST /api/reconcile: runs app-kit's reconcileUploads against storage's ListObjects, so uploads whose
// callback never arrived (storage answered 203 CallbackFailed, the app was down) are recorded as
// stored-unconfirmed and run-out tickets as expired. In production this is a scheduled job; the demo
// exposes it as a button. Same-origin and demo users only: it writes to the record store.
import {
  reconcileUploads,
  type ObjectLister,
  type UploadRecordStore,
  type WebHandler,
} from '@upcall/app-kit';
import { readDemoUserId } from '../demo-user.js';
import { checkSameOrigin } from './check-same-origin.js';
import { replyError, replyJson } from './reply-json.js';

export interface ReconcileRouteOptions {
  readonly store: UploadRecordStore;
  readonly listObjects: ObjectLister;
  readonly now?: () => number;
  readonly onError?: (error: unknown) => void;
}

export function createReconcileRoute(options: ReconcileRouteOptions): WebHandler {
  const now = options.now ?? Date.now;
  let running: Promise<Response> | undefined;
  const run = async (): Promise<Response> => {
    try {
      const summary = await reconcileUploads({
        store: options.store,
        listObjects: options.listObjects,
        nowMs: now(),
      });
      return replyJson(200, summary);
    } catch (error) {
      options.onError?.(error);
      return replyError(502, 'reconcile-failed', error instanceof Error ? error.message : String(error));
    }
  };
  return async (request) => {
    if (request.method !== 'POST') return replyError(405, 'method-not-allowed');
    if (!checkSameOrigin(request)) return replyError(403, 'cross-origin');
    if (readDemoUserId(request.headers.get('cookie')) === undefined)
      return replyError(401, 'unauthenticated');
    // One run at a time: concurrent clicks share the run in progress instead of listing storage twice.
    running ??= run().finally(() => {
      running = undefined;
    });
    return (await running).clone();
  };
}
