// `upcall upload` as a process of its own (what the `upcall` bin will run once the dispatcher routes
// `upload` here), for the tests that need a real process: a real SIGINT, a real exit status.
import { runUploadCli } from '../run-upload-cli.js';

process.exitCode = await runUploadCli(process.argv.slice(2));
