import { runWorkerProcess } from './process-main.js';

await runWorkerProcess();
