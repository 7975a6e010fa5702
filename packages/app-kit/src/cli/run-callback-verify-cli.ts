// `upcall callback verify [--trust-key FILE | --trust-key-url URL] [REQUEST_FILE] < request.txt`
// Exit codes: 0 the signature verifies, 1 it does not, 2 usage or input errors.
import { readFile } from 'node:fs/promises';
import { CapturedRequestError } from './parse-captured-request.js';
import { verifyCapturedRequest, type VerifyCapturedOptions } from './verify-captured-request.js';

export interface CliOutput {
  write(text: string): unknown;
}

export interface CallbackVerifyCliIo {
  readonly stdout: CliOutput;
  readonly stderr: CliOutput;
  readonly readFile?: (path: string) => Promise<Uint8Array>;
}

export const callbackVerifyUsage = `Usage: upcall callback verify [--trust-key FILE | --trust-key-url URL] [REQUEST_FILE] < request.txt

Verifies a captured OSS upload-callback request (request line, headers, blank line, body).
By default only Alibaba Cloud's official callback key is trusted; key URLs are never fetched
unless given with --trust-key-url.
  --trust-key FILE       verify with this PEM public key, whatever key URL the request names
  --trust-key-url URL    also trust this exact key URL (fetched: 2 s, 8 KiB, no redirects)
Exit status: 0 valid, 1 invalid, 2 usage error.
`;

const maxCaptureBytes = 1024 * 1024;

interface CliArgs {
  readonly trustKeyFile?: string;
  readonly trustKeyUrl?: string;
  readonly requestFile?: string;
  readonly help: boolean;
}

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): CliArgs {
  const args: { trustKeyFile?: string; trustKeyUrl?: string; requestFile?: string; help: boolean } = {
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag = '', inline] = (argv[i] ?? '').split(/=(.*)/s, 2);
    const value = (): string => {
      const found = inline ?? argv[++i];
      if (found === undefined || found === '') throw new UsageError(`${flag} needs a value`);
      return found;
    };
    if (flag === '-h' || flag === '--help') args.help = true;
    else if (flag === '--trust-key') args.trustKeyFile = value();
    else if (flag === '--trust-key-url') args.trustKeyUrl = value();
    else if (flag.startsWith('-')) throw new UsageError(`unknown option ${flag}`);
    else if (args.requestFile === undefined) args.requestFile = argv[i];
    else throw new UsageError('give at most one request file');
  }
  if (args.trustKeyFile !== undefined && args.trustKeyUrl !== undefined) {
    throw new UsageError('give either --trust-key or --trust-key-url, not both');
  }
  return args;
}

async function readAll(stream: AsyncIterable<Uint8Array | string>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk);
    total += bytes.length;
    if (total > maxCaptureBytes)
      throw new UsageError(`the captured request is larger than ${maxCaptureBytes} bytes`);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}

export async function runCallbackVerifyCli(
  argv: readonly string[],
  stdin: AsyncIterable<Uint8Array | string>,
  io: CallbackVerifyCliIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const load = io.readFile ?? ((path: string) => readFile(path));
  try {
    const args = parseArgs(argv);
    if (args.help) {
      io.stdout.write(callbackVerifyUsage);
      return 0;
    }
    const capture =
      args.requestFile === undefined ? await readAll(stdin) : Buffer.from(await load(args.requestFile));
    if (capture.length === 0) throw new UsageError('no request on standard input');
    const options: VerifyCapturedOptions = {
      ...(args.trustKeyFile === undefined
        ? {}
        : { trustKeyPem: Buffer.from(await load(args.trustKeyFile)).toString('utf8') }),
      ...(args.trustKeyUrl === undefined ? {} : { trustKeyUrl: args.trustKeyUrl }),
    };
    const result = await verifyCapturedRequest(capture, options);
    io.stdout.write(`${result.lines.join('\n')}\n`);
    return result.ok ? 0 : 1;
  } catch (error) {
    if (
      error instanceof UsageError ||
      error instanceof CapturedRequestError ||
      error instanceof TypeError ||
      hasErrorCode(error)
    ) {
      io.stderr.write(
        `upcall callback verify: ${error.message}\n\n${error instanceof UsageError ? callbackVerifyUsage : ''}`,
      );
      return 2;
    }
    throw error;
  }
}

function hasErrorCode(error: unknown): error is Error & { code: string } {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string';
}
