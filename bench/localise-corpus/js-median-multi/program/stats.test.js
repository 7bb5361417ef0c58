const test = require('node:test');
const assert = require('node:assert');
const { mean, median, spread } = require('./stats');

test('mean', () => {
  assert.strictEqual(mean([1, 2, 3]), 2);
});

test('median odd', () => {
  assert.strictEqual(median([5, 1, 3]), 3);
});

test('spread', () => {
  assert.strictEqual(spread([4, 9, 1]), 8);
});
