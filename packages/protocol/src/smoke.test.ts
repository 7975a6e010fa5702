import { test } from 'node:test';
import assert from 'node:assert/strict';

void test('workspace runs TypeScript tests', () => {
  assert.equal(typeof 1, 'number');
});
