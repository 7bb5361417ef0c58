'use strict';

function shorten(title, max) {
  if (title.length() <= max) return title;
  return `${title.slice(0, max - 1)}~`;
}

console.log(shorten('A rather long title', 8));
