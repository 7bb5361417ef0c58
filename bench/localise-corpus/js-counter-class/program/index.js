const { Counter } = require('./counter');
console.log(new Counter(3).count);
