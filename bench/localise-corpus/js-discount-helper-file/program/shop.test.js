const test = require('node:test');
const assert = require('node:assert');
const { checkout, withTax } = require('./shop');

test('checkout', () => {
  assert.strictEqual(checkout([100, 50], 10), 135);
});

test('tax', () => {
  assert.strictEqual(withTax([100], 10), 110);
});
