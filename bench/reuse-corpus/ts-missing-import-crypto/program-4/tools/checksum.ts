#!/usr/bin/env node
// Prints a checksum per line of a small built-in list.
const lines: readonly string[] = ['alpha', 'beta', 'gamma'];

for (const line of lines) {
  const sum = createHash('sha1').update(line).digest('hex').slice(0, 10);
  console.log(`${sum}  ${line}`);
}
