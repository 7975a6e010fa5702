// What one `upcall upload` of FILE adds to the resident set, measured in a process of its own:
// `node --expose-gc --import tsx measure-upload-rss.ts FILE TICKET_URL` uploads FILE twice and prints
// `{ "exitCodes", "coldDeltaBytes", "warmDeltaBytes" }`: the peak RSS during each upload minus the RSS
// just before it. The first upload pays one-time costs (fetch loaded, hot paths compiled, the thread
// pool started, malloc's heap grown to its working size — about 20 MiB whatever the file size); the
// second shows what the file itself costs, which for a streamed file is close to nothing.
// Garbage is collected every 10 ms while sampling: V8 frees 64 KiB read buffers lazily, tens of MiB at
// a time, and the question is what the upload holds, not when V8 gets round to collecting.
import { Writable } from 'node:stream';
import { runUploadCli } from '../run-upload-cli.js';

const [path = '', ticketUrl = ''] = process.argv.slice(2);
const discard = new Writable({ write: (_chunk, _encoding, callback) => callback() });
const io = { stdout: discard, stderr: discard, env: {} };
const collect = (globalThis as { gc?: () => void }).gc;
if (collect === undefined) throw new Error('run with --expose-gc');

async function measureUpload(): Promise<{ exitCode: number; deltaBytes: number }> {
  collect?.();
  const baselineBytes = process.memoryUsage.rss();
  let peakBytes = baselineBytes;
  const sampler = setInterval(() => {
    peakBytes = Math.max(peakBytes, process.memoryUsage.rss());
    collect?.();
  }, 10);
  const exitCode = await runUploadCli([path, '--ticket-url', ticketUrl], io);
  clearInterval(sampler);
  return { exitCode, deltaBytes: peakBytes - baselineBytes };
}

const cold = await measureUpload();
const warm = await measureUpload();
const report = {
  exitCodes: [cold.exitCode, warm.exitCode],
  coldDeltaBytes: cold.deltaBytes,
  warmDeltaBytes: warm.deltaBytes,
};
process.stdout.write(`${JSON.stringify(report)}\n`);
