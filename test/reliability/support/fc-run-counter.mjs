// Preloaded (`--import`) into the property-test processes `npm run soak` starts: a fast-check global
// reporter that appends `<test file>\t<runs>\t<failed>` for every fc.assert to $SOAK_FC_LOG, so the soak
// can report how many inputs were tried. It keeps fast-check's behaviour: a failed property still
// throws its usual report (seed, counterexample).
import { appendFileSync } from 'node:fs';
import fc from 'fast-check';

const log = process.env.SOAK_FC_LOG;
if (log !== undefined && log !== '') {
  const file = process.argv.find((arg) => /\.test\.ts$/.test(arg)) ?? process.argv[1] ?? '?';
  const record = (details) => {
    appendFileSync(log, `${file}\t${details.numRuns}\t${details.failed ? 1 : 0}\n`);
    if (details.failed) throw new Error(fc.defaultReportMessage(details));
  };
  fc.configureGlobal({
    ...fc.readConfigureGlobal(),
    reporter: record, // fast-check uses it for async properties too (it refuses both at once)
  });
}
