/**
 * `node --import ./forbid-typescript.mjs …`: the process (and its worker threads, which inherit
 * the flag) fails to load any TypeScript module or TypeScript loader — the runtime test's proof
 * that the built service runs on plain node.
 */
import { register } from 'node:module';

register('./forbid-typescript-hooks.mjs', import.meta.url);
