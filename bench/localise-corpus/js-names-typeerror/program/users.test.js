const test = require('node:test');
const assert = require('node:assert');
const { names, adults } = require('./users');

test('names', () => {
  assert.deepStrictEqual(names([{ name: 'ann' }, { name: 'bo' }]), ['ANN', 'BO']);
});

test('adults', () => {
  assert.strictEqual(adults([{ age: 20 }, { age: 9 }]).length, 1);
});
