// Runs work against a deadline. OSS waits 5 s for the callback reply and never retries (§9.1); a store that
// is locked or partitioned must turn into a quick non-200 (OSS answers 203, reconciliation repairs it)
// rather than a hang (threats §C6.57, §C6.58). The work itself is not cancelled — it may still finish.
export class DeadlineExceededError extends Error {
  constructor(readonly budgetMs: number) {
    super(`No answer within ${budgetMs} ms.`);
    this.name = 'DeadlineExceededError';
  }
}

export async function raceDeadline<T>(work: Promise<T>, budgetMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceededError(budgetMs)), budgetMs);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
