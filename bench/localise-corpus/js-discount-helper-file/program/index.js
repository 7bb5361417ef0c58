const { checkout } = require('./shop');
console.log(checkout([10, 20], 10));
