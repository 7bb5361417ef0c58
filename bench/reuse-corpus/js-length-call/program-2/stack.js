class Stack {
  constructor() {
    this.data = [];
  }

  size() {
    return this.data.length();
  }
}

const s = new Stack();
s.data.push(1);
console.log(s.size());
