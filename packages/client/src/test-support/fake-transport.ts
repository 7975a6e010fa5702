// A scripted Transport for unit tests: the one legitimate fake in this package (the XHR transport needs
// a browser and is exercised by the real-browser e2e suite). Each send consumes the next step.
import type { Transport, TransportRequest, TransportResponse, UploadProgressEvent } from '../transport.js';
import { AbortError, NetworkError } from '../upload-errors.js';

export type FakeStep =
  | {
      readonly status: number;
      readonly body?: string;
      readonly headers?: Readonly<Record<string, string>>;
      /** Progress events emitted before answering. */
      readonly progress?: readonly UploadProgressEvent[];
    }
  | { readonly networkError: string }
  /** Emits `progress`, then waits until the request's signal aborts. */
  | { readonly hang: true; readonly progress?: readonly UploadProgressEvent[] }
  | ((request: TransportRequest) => Promise<TransportResponse>);

export interface FakeTransport extends Transport {
  readonly requests: TransportRequest[];
}

export function buildResponse(
  status: number,
  body = '',
  headers: Readonly<Record<string, string>> = {},
): TransportResponse {
  const lower = new Map(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  return { status, bodyText: body, headers: (name) => lower.get(name.toLowerCase()) ?? null };
}

function waitForAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(new AbortError());
    signal.addEventListener('abort', () => reject(new AbortError()), { once: true });
  });
}

export function createFakeTransport(steps: readonly FakeStep[]): FakeTransport {
  const requests: TransportRequest[] = [];
  return {
    requests,
    async send(request) {
      const step = steps[requests.length];
      requests.push(request);
      if (step === undefined) throw new Error(`fake transport: no step for request ${requests.length}`);
      if (typeof step === 'function') return step(request);
      if ('networkError' in step) throw new NetworkError(step.networkError);
      for (const event of step.progress ?? []) request.onUploadProgress?.(event);
      if ('hang' in step) return waitForAbort(request.signal);
      return buildResponse(step.status, step.body, step.headers);
    },
  };
}

export type FormEntry = readonly [string, string | { fileName: string; type: string; size: number }];

/** FormData as plain pairs, files described by name, type and size. */
export function readFormEntries(form: FormData): FormEntry[] {
  return [...form.entries()].map(([name, value]) =>
    typeof value === 'string'
      ? [name, value]
      : [name, { fileName: value.name, type: value.type, size: value.size }],
  );
}
