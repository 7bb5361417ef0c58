const rows = [[1], [2, 3]];
let cells = 0;
for (const row of rows) {
  cells += row.length();
}
console.log(cells);
