'use strict';

const files = ['a/b.txt', 'c/d.md'];
const names = files.map((f) => path.basename(f));
console.log(names.join(','));
