// Observes a real UploadRecordStore: every confirm() outcome kind is logged, everything else passes
// through untouched. "Exactly one confirmation" = exactly one 'confirmed' outcome, however many
// deliveries raced (threats §C6.54–55); the store itself still decides.
import type { ConfirmOutcome, UploadRecordStore } from '@upcall/app-kit';

export interface LoggedStore {
  readonly store: UploadRecordStore;
  /** One entry per confirm() that answered: 'confirmed', 'replayed', … ('failed' when it rejected). */
  readonly outcomes: Array<ConfirmOutcome['kind'] | 'failed'>;
}

export function logConfirmOutcomes(real: UploadRecordStore): LoggedStore {
  const outcomes: LoggedStore['outcomes'] = [];
  const store: UploadRecordStore = {
    insertPending: (record) => real.insertPending(record),
    get: (id) => real.get(id),
    confirm: async (input) => {
      try {
        const outcome = await real.confirm(input);
        outcomes.push(outcome.kind);
        return outcome;
      } catch (error) {
        outcomes.push('failed');
        throw error;
      }
    },
    markStoredUnconfirmed: (id, found) => real.markStoredUnconfirmed(id, found),
    expirePending: (nowMs) => real.expirePending(nowMs),
    list: (options) => real.list(options),
    close: () => real.close(),
  };
  return { store, outcomes };
}
