const matrix = [[1, 2], [3, 4]];
const flat = [];
matrix.forEach((row) => row.forEach((cell) => flat.append(cell)));
if (flat.length !== 4) throw new Error('bad');
console.log(flat);
