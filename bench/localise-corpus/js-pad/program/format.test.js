const test = require('node:test');
const assert = require('node:assert');
const { money } = require('./format');

test('money', () => {
  assert.strictEqual(money(1205), '12.05');
});
