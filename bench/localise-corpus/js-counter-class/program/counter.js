class Counter {
  constructor(start = 0) {
    this.count = start;
  }

  increment() {
    this.count += 2;
    return this.count;
  }

  reset() {
    this.count = 0;
  }
}

module.exports = { Counter };
