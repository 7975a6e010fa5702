// The Node/V8 flags the storage server is meant to run with (docs/adr/0014-node-runtime-flags.md).
//
// --max-semi-space-size=2 (MiB; V8's default grows the young generation's semi-spaces to 16 MiB): an
// upload's socket chunks are ArrayBuffers outside the JS heap, while the JS objects around them are few.
// With large semi-spaces, scavenges were rare enough that tens of MB of dead chunks piled up between
// them, V8 counted that external memory against the old generation's limit, and it ran 50–70 full
// mark-compact collections per GiB uploaded (~1.3 CPU-s on the main and helper threads). Whether a
// process fell into that state depended on how its young generation had grown at start-up, so runs were
// bimodal. Capped at 2 MiB, the frequent scavenges free the chunks young: 1 mark-compact per GiB, and a
// 1 GiB PostObject went from ~280 to ~360 MB/s with ~1.3 CPU-s less (4 MiB: ~330 MB/s; 8 MiB: the storm
// again). Small uploads measured the same either way.
//
// Runtime-settable flags do not reach an isolate that already exists, so these must be on the node
// command line: bin/upcall.js and the production bundle carry them in their `#!/usr/bin/env -S node …`
// line, `npm start` in its script; node-flags.test.ts checks that all three say exactly this.
export const serverNodeFlags: readonly string[] = ['--max-semi-space-size=2'];
