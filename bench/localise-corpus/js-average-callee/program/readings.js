function count(xs) {
  return xs.filter((x) => x === null).length;
}

function total(xs) {
  return xs.filter((x) => x !== null).reduce((a, b) => a + b, 0);
}

function average(xs) {
  return total(xs) / count(xs);
}

module.exports = { average, total };
