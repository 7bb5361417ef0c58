class Queue {
  constructor() {
    this.items = [];
  }

  enqueue(x) {
    this.items.append(x);
    return this;
  }
}

const q = new Queue().enqueue('a').enqueue('b');
console.log(q.items.length);
