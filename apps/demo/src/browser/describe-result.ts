// One line for each upload outcome, in the words the page shows and announces. The status names are the
// client's UploadResult statuses, so the page, the records table and the docs speak the same language.
import type { UploadResult } from '@upcall/client';

export interface ResultDescription {
  /** The badge text: the result's status (`confirmed`, `stored-unconfirmed`, `rejected`, …). */
  readonly status: UploadResult['status'];
  readonly message: string;
}

function withRequestId(message: string, requestId: string | undefined): string {
  return requestId === undefined ? message : `${message} (request ${requestId})`;
}

export function describeResult(result: UploadResult): ResultDescription {
  switch (result.status) {
    case 'confirmed':
      return { status: result.status, message: 'Stored, and confirmed by the app server’s signed callback.' };
    case 'stored-unconfirmed':
      return {
        status: result.status,
        message: withRequestId(
          `Stored, but the app server did not confirm it (${result.code}: ${result.message}). ` +
            'Reconciliation will record it.',
          result.requestId,
        ),
      };
    case 'rejected':
      return {
        status: result.status,
        message: withRequestId(`${result.code}: ${result.message}`, result.requestId),
      };
    case 'aborted':
      return { status: result.status, message: 'Cancelled before storage answered.' };
    case 'failed':
      return { status: result.status, message: `${result.reason} failure: ${result.error.message}` };
  }
}
