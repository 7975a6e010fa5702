// A configuration problem the operator must fix (bad flag, bad environment value, unreadable key file).
// The CLI prints `problems` and exits with code 2; anything else is a crash (exit 1).
export class ConfigError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}
