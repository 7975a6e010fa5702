#!/usr/bin/env -S node --expose-gc
// The `upcall` executable: registers tsx so the TypeScript sources run as they are, then starts main.
// The node flags on the first line are the server's runtime flags (packages/server/src/node-flags.ts).
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
