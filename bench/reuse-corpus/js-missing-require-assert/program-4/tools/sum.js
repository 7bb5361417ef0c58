#!/usr/bin/env node
// sums the numbers given and checks the total
const nums = [10, 20, 30];
let total = 0;
for (const n of nums) total += n;
assert.equal(total, 60);
console.log('total', total);
