// Checkers return verdicts instead of throwing (architecture §6: parsers throw, checkers return verdicts).
import type { OssError } from './oss-error.js';

export type Verdict = { readonly ok: true } | { readonly ok: false; readonly error: OssError };

export const passVerdict: Verdict = Object.freeze({ ok: true });

export function failVerdict(error: OssError): Verdict {
  return { ok: false, error };
}
