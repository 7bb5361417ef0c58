const test = require('node:test');
const assert = require('node:assert');
const { findMax } = require('./program');

function check(candidate) {
  assert.strictEqual(candidate([1, 3, 2]), 3);
}

test('findMax', () => {
  check(findMax);
});
