/**
 * The build's second step: tsc emits only JavaScript, so the files the service reads at run time
 * from next to its modules (the member pages' CSS) are copied from src/ to dist/ as they are.
 */
import { cpSync, statSync } from 'node:fs';

cpSync('src', 'dist', {
  recursive: true,
  filter: (source) => statSync(source).isDirectory() || !source.endsWith('.ts'),
});
