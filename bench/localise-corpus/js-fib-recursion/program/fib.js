function fib(n) {
  if (n < 2) return n;
  return fib(n - 1) + fib(n);
}

function fibList(k) {
  return Array.from({ length: k }, (_, i) => fib(i));
}

module.exports = { fib, fibList };
