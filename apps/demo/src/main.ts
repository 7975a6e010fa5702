// Entry of `npm start` (loaded by scripts/start.mjs once tsx is registered).
import { runDemoCli } from './system/run-demo-cli.js';

const code = await runDemoCli(process.argv.slice(2));
// Both servers and both stores are closed by now; exit even if a stray keep-alive timer lingers.
process.exit(code);
