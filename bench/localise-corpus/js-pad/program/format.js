function pad(value, width) {
  return String(value).padStart(width - 1, '0');
}

function money(cents) {
  return `${Math.floor(cents / 100)}.${pad(cents % 100, 2)}`;
}

module.exports = { pad, money };
