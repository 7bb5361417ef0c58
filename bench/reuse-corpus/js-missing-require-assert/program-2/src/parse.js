'use strict';

const input = '3,4,5';

function parse(text) {
  const parts = text.split(',').map(Number);
  assert.ok(parts.every(Number.isFinite), 'not a number');
  return parts;
}

console.log(parse(input).reduce((a, b) => a + b, 0));
