// The Node flags the storage server is meant to run with (docs/adr/0014-node-runtime-flags.md).
//
// --expose-gc: lets the upload path ask V8 for a minor collection every 16 MiB of upload bytes
// (young-gc-pacer.ts), which keeps socket chunks from piling up outside the heap and setting off full
// collections (50–70 per GiB uploaded without it; ~25% of the large-upload throughput). Nothing else
// calls gc().
//
// Flags cannot be set once the process runs, so they must be on the node command line: bin/upcall.js and
// the production bundle carry them in their `#!/usr/bin/env -S node …` line, `npm start` in its script;
// packages/cli/src/node-flags.test.ts checks that all three say exactly this.
export const serverNodeFlags: readonly string[] = ['--expose-gc'];
