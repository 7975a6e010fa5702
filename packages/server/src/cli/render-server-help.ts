// `upcall server --help` and `upcall keys --help`, generated from the flag tables so they cannot drift
// from the parsers.
import { keysRotateFlags, serverFlags, type FlagSpec } from '../config/server-flags.js';

function renderFlags(table: readonly FlagSpec[]): string {
  const lines = table.map((spec) => {
    const value = spec.boolean ? '' : ` ${spec.value}`;
    const left = `  --${spec.name}${value}${spec.multiple ? ' (repeatable)' : ''}`;
    if (spec.aliasOf !== undefined) return `${left}\n      ${spec.description} env ${spec.env}`;
    return `${left}\n      ${spec.description}\n      env ${spec.env}; default ${spec.defaultText}`;
  });
  return `${lines.join('\n')}\n  -h, --help\n`;
}

export function renderServerHelp(): string {
  return `Usage: upcall server [flags]\n\nRuns the OSS-compatible storage server.\n\n${renderFlags(serverFlags)}`;
}

export function renderKeysHelp(): string {
  return (
    'Usage: upcall keys rotate [flags]\n\n' +
    'Replaces the callback signing key. The old public key stays published under its fingerprint URL\n' +
    'for the grace period. Running servers switch on restart or on SIGHUP.\n\n' +
    renderFlags(keysRotateFlags)
  );
}
