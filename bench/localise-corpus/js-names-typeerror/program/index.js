const { adults } = require('./users');
console.log(adults([{ age: 20 }]).length);
