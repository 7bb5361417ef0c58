const list = [];
for (let i = 0; i < 3; i++) {
  list.append(i * 2);
}
console.log(list.join(','));
