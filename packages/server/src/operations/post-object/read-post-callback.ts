// The PostObject callback request (oss-protocol §8.3, §3.9 step 11): the `callback` form field (the only
// way to pass one on PostObject) and one `x:<name>` field per custom variable. Everything that could fail
// later — syntax, template, target policy — fails here, before a byte is stored (§8.6; threats §C5.40/47).
import {
  collectFormCallbackVars,
  parseCallbackParam,
  type CallbackConfig,
  type CallbackCustomVars,
} from '@upcall/protocol';
import type { CallbackTargetPolicy } from '../../config/server-config.js';
import { checkCallbackTargets } from '../../callback/check-callback-targets.js';
import { postFormFields } from './post-form-fields.js';

export interface PostCallbackRequest {
  readonly config: CallbackConfig;
  /** Custom variables from `x:` fields. Field names are lower-cased (§3.3), so are variable names. */
  readonly customVars: CallbackCustomVars;
  /** Whether the template uses `${imageInfo.*}` (decides whether the file's head is probed). */
  readonly needsImageInfo: boolean;
}

/**
 * PostObject is exempt from the 5 KB callback limit of headers/queries (§3.7, D6); it gets the generic
 * form-field limit instead.
 */
export function readPostCallback(
  fields: ReadonlyMap<string, string>,
  targetPolicy: CallbackTargetPolicy,
  maxCallbackBytes: number,
): PostCallbackRequest | undefined {
  const raw = fields.get(postFormFields.callback);
  if (raw === undefined || raw === '') return undefined; // an empty field means "no callback" (§8.1)
  const config = parseCallbackParam(raw, { maxBytes: maxCallbackBytes });
  const targets = checkCallbackTargets(config, targetPolicy);
  if (!targets.ok) throw targets.error;
  const needsImageInfo = config.template.some(
    (part) => part.kind === 'variable' && part.name.startsWith('imageInfo.'),
  );
  return { config, customVars: collectFormCallbackVars(fields), needsImageInfo };
}
