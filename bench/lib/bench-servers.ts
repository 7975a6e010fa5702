// Starting the servers the scenarios compare, each in its own process on 127.0.0.1.
import { rm } from 'node:fs/promises';
import { serverNodeFlags } from '@upcall/server';
import { startChildServer, type ChildServer } from './child-server.js';
import { makeFreshDir } from './input-file.js';

export interface UpcallInfo {
  readonly url: string;
  readonly bucket: string;
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly publicKeyPem: string;
  readonly publicKeyUrl: string;
}

export type NodeBaselineMode = 'drain' | 'hash-fsync' | 'static';

/** Stops the server, then removes its data directory (gigabytes of objects per scenario). */
async function withCleanup<Info>(
  dir: string,
  started: Promise<ChildServer<Info>>,
): Promise<ChildServer<Info>> {
  const server = await started;
  return {
    ...server,
    stop: async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function startUpcall(
  profileName = 'upcall',
  env: Record<string, string> = {},
): Promise<ChildServer<UpcallInfo>> {
  const dir = makeFreshDir('upcall-data');
  return withCleanup(
    dir,
    // The production command line's flags (packages/server/src/node-flags.ts); baselines run bare.
    startChildServer<UpcallInfo>({
      script: 'upcall-server.ts',
      args: [dir],
      profileName,
      env,
      // BENCH_UPCALL_NODE_FLAGS overrides them (e.g. '' for none) when comparing.
      nodeFlags:
        process.env.BENCH_UPCALL_NODE_FLAGS === undefined
          ? serverNodeFlags
          : process.env.BENCH_UPCALL_NODE_FLAGS.split(' ').filter((flag) => flag !== ''),
    }),
  );
}

export function startNodeBaseline(
  mode: NodeBaselineMode,
  dir?: string,
): Promise<ChildServer<{ url: string }>> {
  // A given directory (the static-file source) is the caller's; only a fresh one is removed.
  const own = dir === undefined ? makeFreshDir(`node-${mode}`) : undefined;
  const started = startChildServer<{ url: string }>({
    script: 'node-baseline-server.ts',
    args: [mode, own ?? dir ?? ''],
    profileName: `node-${mode}`,
  });
  return own === undefined ? started : withCleanup(own, started);
}

export interface S3rverInfo {
  readonly url: string;
  readonly bucket: string;
}

/** s3rver 3.7 (filesystem store in a fresh directory, bucket `bench`): the S3-mock baseline. */
export function startS3rver(): Promise<ChildServer<S3rverInfo>> {
  const dir = makeFreshDir('s3rver-data');
  return withCleanup(
    dir,
    startChildServer<S3rverInfo>({ script: 's3rver-server.ts', args: [dir], profileName: 's3rver' }),
  );
}
