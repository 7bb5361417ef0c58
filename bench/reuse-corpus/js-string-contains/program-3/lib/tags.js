'use strict';

class Tags {
  constructor(list) {
    this.list = list;
  }

  has(tag) {
    return this.list.contains(tag);
  }
}

console.log(new Tags(['x', 'y']).has('y'));
