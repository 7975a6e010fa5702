// `upcall server --help`, generated from the flag table so it cannot drift from the parser.
import { serverFlags } from '../config/server-flags.js';

export function renderServerHelp(): string {
  const lines = serverFlags.map((spec) => {
    const left = `  --${spec.name} ${spec.value}${spec.multiple ? ' (repeatable)' : ''}`;
    return `${left}\n      ${spec.description}\n      env ${spec.env}; default ${spec.defaultText}`;
  });
  return `Usage: upcall server [flags]\n\nRuns the OSS-compatible storage server.\n\n${lines.join('\n')}\n  -h, --help\n`;
}
