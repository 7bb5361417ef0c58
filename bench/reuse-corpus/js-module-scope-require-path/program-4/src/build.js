#!/usr/bin/env node
// prints the output file of a build
const out = path.posix.join('dist', 'bundle.js');
console.log('writing', out);
