const test = require('node:test');
const assert = require('node:assert');
const { steps } = require('./steps');

test('odd', () => {
  assert.strictEqual(steps(3), 3);
});
