// Shared set-up for the uploadFile suites: an app-kit-shaped ticket, a counting ticket source, and a
// scripted transport with a recording clock-free sleep (deterministic: no timers, fixed jitter).
import type { UploadProgress } from '../progress-meter.js';
import type { Ticket, TicketRequest, TicketSource } from '../ticket.js';
import type { UploadFileOptions } from '../upload-file.js';
import { createFakeTransport, type FakeStep } from './fake-transport.js';

export const nowMs = 1_700_000_000_000;
export const file = new File(['0123456789'], 'cat.png', { type: 'image/png' });

export function appKitTicket(overrides: Partial<Ticket> = {}): Ticket {
  return {
    host: 'http://127.0.0.1:9000',
    fields: {
      key: 'uploads/alice/abc.png',
      success_action_status: '200',
      callback: 'Y2I=',
      'x:upload_id': 'u-1',
      policy: 'cA==',
    },
    expire: nowMs / 1000 + 300,
    key: 'uploads/alice/abc.png',
    uploadId: 'u-1',
    ...overrides,
  };
}

export function countingSource(
  tickets: ReadonlyArray<Ticket | Error> = [appKitTicket()],
): TicketSource & { calls: TicketRequest[] } {
  const calls: TicketRequest[] = [];
  const source = (request: TicketRequest): Promise<Ticket> => {
    calls.push(request);
    const next = tickets[Math.min(calls.length, tickets.length) - 1];
    return next instanceof Error || next === undefined
      ? Promise.reject(next ?? new Error('no ticket'))
      : Promise.resolve(next);
  };
  return Object.assign(source, { calls });
}

export interface Harness {
  readonly sleeps: number[];
  readonly progress: UploadProgress[];
  readonly options: UploadFileOptions;
}

export function harness(
  steps: readonly FakeStep[],
  extra: Partial<UploadFileOptions> = {},
): Harness & { transport: ReturnType<typeof createFakeTransport> } {
  const sleeps: number[] = [];
  const progress: UploadProgress[] = [];
  const transport = createFakeTransport(steps);
  const options: UploadFileOptions = {
    transport,
    now: () => nowMs,
    retry: { random: () => 0.5, baseDelayMs: 1000 },
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    onProgress: (p) => progress.push(p),
    ...extra,
  };
  return { sleeps, progress, options, transport };
}

export const json200: FakeStep = {
  status: 200,
  body: '{"ok":true}',
  headers: { 'content-type': 'application/json', 'x-oss-request-id': 'RID-1' },
  progress: [
    { loaded: 600, total: 1200 },
    { loaded: 1200, total: 1200 },
  ],
};
