const { total } = require('./readings');
console.log(total([1, null, 2]));
