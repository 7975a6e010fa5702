// Upcall's storage server as a child process (`upcall server`, as an operator runs it), so a test can
// SIGKILL it — or arm UPCALL_FAULT_INJECTION to make it SIGKILL itself at one commit step — and restart
// it on the same data directory. Reuses the reliability suite's process harness.
import { startUpcallServer, type ServerProcess } from '../../reliability/support/server-process.js';
import {
  describeStorageEndpoint,
  e2eAccessKeyId,
  e2eAccessKeySecret,
  e2eBucket,
  type StorageEndpoint,
} from './app-kit-storage.js';

export interface StorageProcess extends StorageEndpoint {
  readonly server: ServerProcess;
}

/** Starts `upcall server` on `dataDir` (loopback callbacks allowed); `faultInjection` arms one fault. */
export async function startStorageProcess(dataDir: string, faultInjection?: string): Promise<StorageProcess> {
  const server = await startUpcallServer({
    dataDir,
    bucket: e2eBucket,
    accessKeyId: e2eAccessKeyId,
    accessKeySecret: e2eAccessKeySecret,
    extraArgs: ['--callback-targets', 'dev'],
    ...(faultInjection === undefined ? {} : { faultInjection }),
  });
  try {
    // The current key's stable URL (its fingerprint URL is printed, not needed here): nothing in these
    // tests verifies a callback from the process, but the app pins the key the server really holds.
    const callbackKeyUrl = `${server.url}/_upcall/callback-public-key.pem`;
    const response = await fetch(callbackKeyUrl);
    if (response.status !== 200) throw new Error(`GET ${callbackKeyUrl} answered ${response.status}`);
    const endpoint = describeStorageEndpoint({
      endpoint: server.url,
      bucket: e2eBucket,
      region: 'cn-hangzhou',
      credentials: { accessKeyId: e2eAccessKeyId, accessKeySecret: e2eAccessKeySecret },
      callbackKeyUrl,
      callbackKeyPem: await response.text(),
    });
    return { ...endpoint, server };
  } catch (error) {
    await server.kill();
    throw error;
  }
}
