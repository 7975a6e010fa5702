#!/usr/bin/env node
// The `upcall` executable: registers tsx so the TypeScript sources run as they are, then starts main.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
