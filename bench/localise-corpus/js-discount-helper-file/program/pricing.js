function discount(price, percent) {
  return (price * percent) / 100;
}

function tax(price, rate) {
  return price * (1 + rate / 100);
}

module.exports = { discount, tax };
