const { first } = require('./seq');
console.log(first([1, 2]));
