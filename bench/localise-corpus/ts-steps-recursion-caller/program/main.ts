import { steps } from './steps.js';

console.log(steps(3));
