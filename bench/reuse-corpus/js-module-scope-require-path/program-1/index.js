const ROOT = path.join('/srv', 'app');

function where(file) {
  return ROOT + '/' + file;
}

console.log(where('a.txt'));
