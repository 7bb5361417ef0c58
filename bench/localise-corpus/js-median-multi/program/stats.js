function mean(xs) {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  if (n % 2 === 1) return s[(n - 1) / 2 + 1];
  return (s[n / 2 - 1] + s[n / 2]) / 2;
}

function spread(xs) {
  return Math.max(...xs) - Math.min(...xs);
}

module.exports = { mean, median, spread };
