// Connect-time half of the callback target policy (threats §B5, §C5.41): a `lookup` for http.request
// that refuses a host name when ANY address it resolves to is not public unicast. Because the check runs
// inside the dialer on the very answer it connects to, a name that resolves to a public address at
// validation and to 127.0.0.1 at connect (DNS rebinding) is still refused. A refusal surfaces as a
// connect failure, i.e. a 203 CallbackFailed with the object kept (§9.6).
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { isPublicAddress } from './classify-address.js';

export const refusedTargetErrorCode = 'ECALLBACKTARGETREFUSED';

function refusal(hostname: string, address: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(
    `callback target ${hostname} resolves to non-public address ${address}`,
  );
  error.code = refusedTargetErrorCode;
  return error;
}

export function createGuardedLookup(baseLookup: LookupFunction = dnsLookup): LookupFunction {
  return (hostname, options, callback) => {
    baseLookup(hostname, options, (error, address, family) => {
      if (error) {
        callback(error, address, family);
        return;
      }
      const answers: LookupAddress[] = Array.isArray(address) ? address : [{ address, family: family ?? 0 }];
      const refused = answers.find((answer) => !isPublicAddress(answer.address));
      if (refused !== undefined || answers.length === 0) {
        callback(refusal(hostname, refused?.address ?? '(none)'), address, family);
        return;
      }
      callback(null, address, family);
    });
  };
}
