const test = require('node:test');
const assert = require('node:assert');
const { Counter } = require('./counter');

test('increment', () => {
  const c = new Counter();
  c.increment();
  c.increment();
  assert.strictEqual(c.count, 2);
});

test('reset', () => {
  const c = new Counter(5);
  c.reset();
  assert.strictEqual(c.count, 0);
});
