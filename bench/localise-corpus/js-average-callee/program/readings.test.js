const test = require('node:test');
const assert = require('node:assert');
const { average } = require('./readings');

test('average with gaps', () => {
  assert.strictEqual(average([2, null, 4]), 3);
});
