import assert from 'node:assert';
import test from 'node:test';
import { stepsBetween } from './steps.js';

test('steps from 2 up to 5', () => {
  assert.strictEqual(stepsBetween(2, 5), 3);
});
