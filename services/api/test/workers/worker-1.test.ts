// One of the suite's test workers: ./suite.ts. (As many files here as .taprc's jobs.)
import { runWorker } from './suite.js';

await runWorker();
