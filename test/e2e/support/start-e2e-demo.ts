// The demo system for one test file: storage server and app server in this process, on ephemeral
// loopback ports, over a fresh temporary data dir that is removed afterwards.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemoSystem, type DemoSystemOptions, type RunningDemoSystem } from '@upcall/demo';

export interface E2eDemo {
  readonly system: RunningDemoSystem;
  readonly dataDir: string;
  /** Route errors the app reported (callback refusals, …), for assertions and failure messages. */
  readonly appErrors: string[];
  stop(): Promise<void>;
}

export async function startE2eDemo(options: Partial<DemoSystemOptions> = {}): Promise<E2eDemo> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'upcall-e2e-')));
  const appErrors: string[] = [];
  const system = await startDemoSystem({
    appPort: 0,
    storagePort: 0,
    storageLogLevel: 'silent',
    shutdownGraceMs: 1000,
    onAppError: (route, error) => appErrors.push(`${route}: ${String(error)}`),
    ...options,
    dataDir,
  });
  return {
    system,
    dataDir,
    appErrors,
    stop: async () => {
      await system.close();
      if (options.dataDir === undefined) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
