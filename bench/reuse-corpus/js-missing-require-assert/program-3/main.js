const path = require('path');

class Router {
  constructor() {
    this.routes = new Map();
  }

  add(route, handler) {
    assert(!this.routes.has(route), `duplicate ${route}`);
    this.routes.set(path.posix.normalize(route), handler);
  }
}

const r = new Router();
r.add('/a', () => 1);
console.log(r.routes.size);
