const test = require('node:test');
const assert = require('node:assert');
const { first, last } = require('./seq');

test('first', () => {
  assert.strictEqual(first([4, 5, 6]), 4);
});

test('last', () => {
  assert.strictEqual(last([4, 5, 6]), 6);
});
