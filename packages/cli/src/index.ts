// The `upcall` command: dispatches `upcall <command> …` to the package that implements the command.
import { runCallbackVerifyCli } from '@upcall/app-kit';
import { runKeysCli, runServerCli } from '@upcall/server';
import { runUploadCli } from './upload/index.js';

export const upcallUsage = `Usage: upcall <command> [flags]

Commands:
  server        Run the OSS-compatible storage server (upcall server --help)
  keys rotate   Replace the callback signing key, keeping the old one published (upcall keys --help)
  upload        Upload files through an app's ticket endpoint, like the browser (upcall upload --help)
  callback verify
                Check a captured upload-callback request and say exactly why it fails
                (upcall callback verify --help)
`;

export interface UpcallIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

/** Resolves to the process exit code (2 = usage error). */
export async function runUpcallCli(
  argv: readonly string[],
  io: UpcallIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'server':
      return runServerCli(rest);
    case 'keys':
      return runKeysCli(rest);
    case 'upload':
      return runUploadCli(rest, { stdout: io.stdout, stderr: io.stderr, env: process.env });
    case 'callback':
      if (rest[0] === 'verify') return runCallbackVerifyCli(rest.slice(1), process.stdin, io);
      io.stderr.write(`upcall: unknown command "callback ${rest[0] ?? ''}"\n${upcallUsage}`);
      return 2;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      io.stdout.write(upcallUsage);
      return 0;
    default:
      io.stderr.write(`upcall: unknown command ${JSON.stringify(command)}\n${upcallUsage}`);
      return 2;
  }
}
