function get(items, i) {
  if (i < 0 || i >= items.length) {
    throw new RangeError(`index ${i} out of range`);
  }
  return items[i];
}

function first(items) {
  return get(items, 0);
}

function last(items) {
  return get(items, items.length);
}

module.exports = { first, last };
