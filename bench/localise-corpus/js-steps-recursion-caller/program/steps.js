function countDown(n, step) {
  if (n === 0) return 0;
  return 1 + countDown(n - step, step);
}

function describe(n) {
  return `${n} takes ${steps(n)} steps`;
}

function steps(n) {
  return countDown(n, 2);
}

module.exports = { steps, describe };
