import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  computeNameWidth,
  formatBytes,
  formatPercent,
  renderProgressBarLine,
  renderProgressLogLine,
} from './render-progress-line.js';

const progress = { loaded: 12_900_000, total: 28_311_552, bytesPerSecond: 4_300_000, attempt: 1 };

describe('render-progress-line', () => {
  it('formats byte counts in binary units with at most three significant digits', () => {
    assert.deepEqual(
      [0, 1000, 1024, 1536, 27 * 1024 * 1024, 150 * 1024 * 1024, 5 * 1024 ** 3].map(formatBytes),
      ['0 B', '1000 B', '1.00 KiB', '1.50 KiB', '27.0 MiB', '150 MiB', '5.00 GiB'],
    );
  });

  it('shows 100 % only when every byte is done', () => {
    assert.equal(formatPercent({ loaded: 997, total: 1000 }), '99%');
    assert.equal(formatPercent({ loaded: 1000, total: 1000 }), '100%');
    assert.equal(formatPercent({ loaded: 0, total: 0 }), '100%');
  });

  it('draws the bar, percent, amounts and rate, padded so bars line up', () => {
    const layout = { columns: 100, nameWidth: computeNameWidth(['a.png', 'photos/b.png'], 100) };
    assert.equal(
      renderProgressBarLine('a.png', progress, layout),
      'a.png         [#########-----------]  45%  12.3 MiB / 27.0 MiB  4.10 MiB/s',
    );
    assert.equal(
      renderProgressBarLine('a.png', { ...progress, loaded: progress.total }, layout, 'done'),
      'a.png         [####################] 100%  27.0 MiB  done',
    );
  });

  it('never lets a line reach the terminal width, keeping the end of a long name', () => {
    const name = `${'very-long-folder/'.repeat(8)}final.png`;
    const layout = { columns: 80, nameWidth: computeNameWidth([name], 80) };
    const line = renderProgressBarLine(name, { ...progress, attempt: 3 }, layout);
    assert.ok(line.length <= 79, line);
    assert.match(line, /^…[^ ]*final\.png {2}\[/);
  });

  it('writes a plain sentence for logs, with the attempt number on retries', () => {
    assert.equal(
      renderProgressLogLine('a.png', { ...progress, attempt: 2 }),
      'a.png: 45% (12.3 MiB / 27.0 MiB  4.10 MiB/s  (attempt 2))',
    );
  });
});
