import assert from 'node:assert';
import test from 'node:test';
import { average } from './readings.js';

test('average with gaps', () => {
  assert.strictEqual(average([2, null, 4]), 3);
});
