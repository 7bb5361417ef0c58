const test = require('node:test');
const assert = require('node:assert');
const { fib, fibList } = require('./fib');

test('fib', () => {
  assert.strictEqual(fib(10), 55);
});

test('list', () => {
  assert.deepStrictEqual(fibList(5), [0, 1, 1, 2, 3]);
});
