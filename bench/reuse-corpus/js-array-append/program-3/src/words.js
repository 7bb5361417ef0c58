'use strict';

function longWords(text, min) {
  const found = [];
  text.split(/\s+/).forEach((w) => {
    if (w.length >= min) found.append(w);
  });
  return found;
}

console.log(longWords('a quick brown fox jumps', 5));
