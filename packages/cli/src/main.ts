// Process entry of the `upcall` bin (bin/upcall.js): run, then let the event loop drain and exit.
import { runUpcallCli } from './index.js';

process.exitCode = await runUpcallCli(process.argv.slice(2));
