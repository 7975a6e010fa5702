// Reading one flag table (server-flags.ts) from argv and UPCALL_* environment variables: flags win over
// the environment, the environment over defaults; every problem is collected (not thrown) so the CLI can
// report them all at once as one ConfigError.
import { parseArgs } from 'node:util';
import { ConfigError } from './config-error.js';
import { findFlag, type FlagSpec } from './server-flags.js';

export type Env = Readonly<Record<string, string | undefined>>;

export type Parser<T> = (text: string) => T;

type ArgValues = Record<string, string | boolean | Array<string | boolean> | undefined>;

export function oneOf<T extends string>(allowed: readonly T[]): Parser<T> {
  return (text) => {
    const found = allowed.find((candidate) => candidate === text);
    if (found === undefined) throw new Error(`must be one of ${allowed.join(', ')}`);
    return found;
  };
}

export function integer(min: number, max: number): Parser<number> {
  return (text) => {
    const value = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!(Number.isSafeInteger(value) && value >= min && value <= max)) {
      throw new Error(`must be an integer from ${min} to ${max}`);
    }
    return value;
  };
}

export const parseSwitch: Parser<boolean> = (text) => {
  const lower = text.toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(lower)) return true;
  if (['0', 'false', 'no', 'off'].includes(lower)) return false;
  throw new Error('must be true or false (1/0, yes/no, on/off)');
};

export function parseArgv(table: readonly FlagSpec[], argv: readonly string[]): { values: ArgValues } {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = {
    help: { type: 'boolean', short: 'h' },
  };
  for (const spec of table) {
    options[spec.name] = { type: spec.boolean ? 'boolean' : 'string', multiple: spec.multiple };
  }
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false });
  } catch (error) {
    throw new ConfigError([(error as Error).message]);
  }
}

interface FoundTexts {
  readonly texts: string[];
  readonly source: string;
}

/** Reads flags of one table: argv first, then the environment; records problems instead of throwing. */
export class FlagReader {
  readonly problems: string[] = [];
  constructor(
    private readonly table: readonly FlagSpec[],
    private readonly values: ArgValues,
    private readonly env: Env,
  ) {}

  private fromArgv(name: string): FoundTexts | undefined {
    const given = this.values[name];
    if (given === undefined) return undefined;
    return { texts: (Array.isArray(given) ? given : [given]).map(String), source: `--${name}` };
  }

  private fromEnv(name: string): FoundTexts | undefined {
    const spec = findFlag(name, this.table);
    const fromEnv = this.env[spec.env];
    if (fromEnv === undefined || fromEnv.trim() === '') return undefined;
    const texts = spec.multiple ? fromEnv.split(',').map((part) => part.trim()) : [fromEnv.trim()];
    return { texts, source: spec.env };
  }

  /** The flag's texts, or those of its aliases (giving a flag and its alias differently is a problem). */
  private texts(name: string): FoundTexts | undefined {
    const names = [name, ...this.table.filter((spec) => spec.aliasOf === name).map((spec) => spec.name)];
    for (const read of [(n: string) => this.fromArgv(n), (n: string) => this.fromEnv(n)]) {
      const found = names.map(read).filter((texts): texts is FoundTexts => texts !== undefined);
      const [first, ...others] = found;
      if (first === undefined) continue;
      for (const other of others) {
        if (other.texts.join('\n') !== first.texts.join('\n')) {
          this.problems.push(`${first.source} and ${other.source} are the same setting; give one of them.`);
        }
      }
      return first;
    }
    return undefined;
  }

  many<T>(name: string, parse: Parser<T>, fallback: readonly T[]): readonly T[] {
    const found = this.texts(name);
    if (found === undefined) return fallback;
    const out: T[] = [];
    for (const text of found.texts) {
      try {
        out.push(parse(text));
      } catch (error) {
        this.problems.push(`${found.source}=${JSON.stringify(text)}: ${(error as Error).message}.`);
      }
    }
    return out;
  }

  one<T>(name: string, parse: Parser<T>, fallback: T): T {
    const values = this.many(name, parse, [fallback]);
    if (values.length > 1) this.problems.push(`--${name} may be given only once.`);
    return values[0] ?? fallback;
  }

  /** A switch: `--name` on the command line, or true/false in its variable. */
  switch(name: string): boolean {
    return this.one(name, parseSwitch, false);
  }
}
