function onlyWith(lines, needle) {
  return lines.filter((line) => line.contains(needle));
}

const log = ['GET /a', 'POST /b', 'GET /c'];
console.log(onlyWith(log, 'GET').length);
