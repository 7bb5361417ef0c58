const { discount, tax } = require('./pricing');

function checkout(prices, percent) {
  let total = 0;
  for (const p of prices) {
    total += discount(p, percent);
  }
  return Math.round(total * 100) / 100;
}

function withTax(prices, rate) {
  return Math.round(prices.reduce((a, p) => a + tax(p, rate), 0) * 100) / 100;
}

module.exports = { checkout, withTax };
