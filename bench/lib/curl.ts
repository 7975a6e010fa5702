// Large transfers with curl (the issue's `curl -F`): curl streams the file from disk, so the client
// costs ~0.4 CPU-s per GiB (perf-notes §2) and never holds the body in memory. `Expect:` is turned
// off so no run pays the 1 s 100-continue wait.
import { execFile } from 'node:child_process';

export interface CurlResult {
  readonly status: number;
  readonly seconds: number;
  readonly body: string;
  readonly headers: string;
}

function runCurl(args: readonly string[]): Promise<CurlResult> {
  const marker = '\n@@CURL@@';
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    execFile(
      'curl',
      // A stalled transfer (e.g. a Ceph OSD that is full blocks writes without answering) fails after
      // 60 s below 1 B/s instead of hanging the whole bench; slow but moving transfers are not cut.
      ['-sS', '-y', '60', '-Y', '1', '-D', '-', '-H', 'Expect:', '-w', `${marker}%{http_code}`, ...args],
      { maxBuffer: 16 * 1024 * 1024 },
      (error, stdout) => {
        const seconds = Number(process.hrtime.bigint() - start) / 1e9;
        if (error) return reject(new Error(error.message, { cause: error }));
        const at = stdout.lastIndexOf(marker);
        const text = stdout.slice(0, at);
        const split = text.indexOf('\r\n\r\n');
        resolve({
          status: Number(stdout.slice(at + marker.length)),
          seconds,
          headers: split < 0 ? text : text.slice(0, split),
          body: split < 0 ? '' : text.slice(split + 4),
        });
      },
    );
  });
}

/** POSTs a multipart form: `fields` in order, then `file` read from `filePath`. */
export function curlPostForm(
  url: string,
  fields: ReadonlyArray<readonly [string, string]>,
  filePath: string,
): Promise<CurlResult> {
  const formArgs = fields.flatMap(([name, value]) => ['--form-string', `${name}=${value}`]);
  return runCurl([...formArgs, '-F', `file=@${filePath};type=application/octet-stream`, url]);
}

/** PUT of a file (`curl -T`); `extraArgs` e.g. `--max-time 20` for probes. */
export function curlPut(
  url: string,
  filePath: string,
  headers: readonly string[] = [],
  extraArgs: readonly string[] = [],
): Promise<CurlResult> {
  return runCurl([...extraArgs, ...headers.flatMap((h) => ['-H', h]), '-T', filePath, url]);
}

/** GET with the body discarded (-o /dev/null); only status and time are kept. */
export function curlGet(url: string, headers: readonly string[] = []): Promise<CurlResult> {
  return runCurl([...headers.flatMap((h) => ['-H', h]), '-o', '/dev/null', url]);
}

/** A body-less request (create bucket, DELETE, HEAD-like probes). */
export function curlRequest(
  method: string,
  url: string,
  headers: readonly string[] = [],
  extraArgs: readonly string[] = [],
): Promise<CurlResult> {
  return runCurl([...extraArgs, '-X', method, ...headers.flatMap((h) => ['-H', h]), url]);
}
