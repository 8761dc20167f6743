// One of the domain's test workers (@sparring/test-workers). As many files here as .taprc's jobs.
import { runWorker } from '@sparring/test-workers';
import { suite } from './suite.js';

await runWorker(suite);
