require('./fib');
console.log('fib loaded');
