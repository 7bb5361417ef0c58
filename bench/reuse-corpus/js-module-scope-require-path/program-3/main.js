const os = require('os');

class Store {
  constructor(dir) {
    this.dir = dir;
  }
}

const store = new Store(path.resolve('/tmp', 'store'));
console.log(store.dir, typeof os.EOL);
