import { total } from './readings.js';

console.log(total([1, null, 2]));
