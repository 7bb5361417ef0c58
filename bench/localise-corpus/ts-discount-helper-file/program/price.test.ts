import assert from 'node:assert';
import test from 'node:test';
import { price } from './price.js';

test('a half-price code halves the price', () => {
  assert.strictEqual(price(10, 'NONE'), 10);
  assert.strictEqual(price(10, 'HALF'), 5);
});
