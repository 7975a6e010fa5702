// SIGHUP → re-read the callback key file and the retired keys (after `upcall keys rotate`), the usual
// reload signal of long-running servers. A failed reload (damaged file) is logged and the keys in use
// stay; reloads run one at a time. Servers whose key was given in code have nothing to reload.
import type { Logger } from 'pino';
import type { CallbackKeyRing } from '../keys/callback-key-ring.js';

export type SignalSource = Pick<NodeJS.EventEmitter, 'on' | 'removeListener'>;

export type KeyReloadOutcome = 'reloaded' | 'failed';

/** Installs the SIGHUP listener; returns its removal. `onReload` is told the outcome of each reload. */
export function watchKeyReload(
  signals: SignalSource,
  ring: CallbackKeyRing,
  log: Logger,
  onReload: (outcome: KeyReloadOutcome) => void = () => undefined,
): () => void {
  let queue = Promise.resolve();
  const reload = async (): Promise<void> => {
    const before = ring.keySet.current.fingerprint;
    try {
      const set = await ring.reload();
      const retired = set.retired.map((key) => key.fingerprint);
      log.info({ fingerprint: set.current.fingerprint, previous: before, retired }, 'callback keys reloaded');
      onReload('reloaded');
    } catch (error) {
      log.error({ err: error, fingerprint: before }, 'callback key reload failed; keeping the current keys');
      onReload('failed');
    }
  };
  const onHangup = () => {
    queue = queue.then(reload);
  };
  signals.on('SIGHUP', onHangup);
  return () => signals.removeListener('SIGHUP', onHangup);
}
