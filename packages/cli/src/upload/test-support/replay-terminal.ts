// Replays what was written to a terminal and returns the screen it leaves: text, CR, LF, cursor up
// (ESC [ n A) and erase line (ESC [ 2 K) — the only controls the progress view uses. Lines are never
// wider than the terminal here, so wrapping is not modelled.
export function replayTerminal(output: string): string[] {
  const screen: string[] = [''];
  let row = 0;
  let column = 0;
  // eslint-disable-next-line no-control-regex -- terminal escapes are what is being parsed
  for (const token of output.split(/(\u001b\[\d*[A-Za-z]|\r|\n)/)) {
    if (token === '') continue;
    const control = /^\u001b\[(\d*)([A-Za-z])$/.exec(token); // eslint-disable-line no-control-regex
    if (token === '\n') [row, column] = [row + 1, 0];
    else if (token === '\r') column = 0;
    else if (control?.[2] === 'A') row = Math.max(0, row - Number(control[1] || '1'));
    else if (control?.[2] === 'K') screen[row] = '';
    else if (control) throw new Error(`unexpected control ${JSON.stringify(token)}`);
    else {
      const line = (screen[row] ?? '').padEnd(column);
      screen[row] = line.slice(0, column) + token + line.slice(column + token.length);
      column += token.length;
    }
    while (screen.length <= row) screen.push('');
  }
  while (screen.at(-1) === '') screen.pop();
  return screen;
}
