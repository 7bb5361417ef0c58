const { mean } = require('./stats');
console.log(mean([1, 2, 3]));
