const { describe } = require('./steps');
console.log(describe(4));
