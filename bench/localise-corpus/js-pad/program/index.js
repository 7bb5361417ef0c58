const { pad } = require('./format');
console.log(pad(7, 3));
