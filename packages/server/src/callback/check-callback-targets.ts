// Validation-time half of the callback target policy (threats §B5, §C5.40): with `public-only`, a
// callbackUrl whose host is an IP literal outside public unicast — after WHATWG normalisation, so
// `0x7f.1` and `2130706433` are seen as `127.0.0.1` — or a `localhost` name is a 400 InvalidArgument
// before anything is stored, as real OSS does (EC 0007-00000008). Host names are judged again on the
// address actually dialled (create-guarded-lookup.ts), which also defeats DNS rebinding.
import { isIP } from 'node:net';
import { OssError, failVerdict, passVerdict, type CallbackConfig, type Verdict } from '@upcall/protocol';
import type { CallbackTargetPolicy } from '../config/server-config.js';
import { classifyAddress, type AddressClass } from './classify-address.js';

/** OSS's error-condition page for a private callback address [threats §B5]. */
export const privateCallbackTargetEc = '0007-00000008';

/** Why a host may not be called back under `public-only`; undefined when it may (or is a DNS name). */
export function classifyCallbackHost(hostname: string): AddressClass | 'localhost' | undefined {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  const lower = bare.toLowerCase();
  // RFC 6761: localhost and *.localhost always mean this machine, whatever DNS says.
  if (lower === 'localhost' || lower.endsWith('.localhost')) return 'localhost';
  if (isIP(bare) === 0) return undefined;
  const cls = classifyAddress(bare);
  return cls === 'public' ? undefined : cls;
}

export function checkCallbackTargets(config: CallbackConfig, policy: CallbackTargetPolicy): Verdict {
  if (policy === 'dev') return passVerdict;
  for (const url of config.urls) {
    const refused = classifyCallbackHost(url.hostname);
    if (refused === undefined) continue;
    return failVerdict(
      new OssError('InvalidArgument', {
        message: `The callbackUrl contains a private IP address (${url.hostname}, ${refused}). This server only calls back public addresses.`,
        ec: privateCallbackTargetEc,
        extra: [
          ['ArgumentName', 'callback'],
          ['ArgumentValue', config.json],
        ],
      }),
    );
  }
  return passVerdict;
}
