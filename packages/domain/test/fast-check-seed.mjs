// Loaded before every test file (.taprc node-arg): the property tests (fast-check) run from one
// seed, so what a run covers does not depend on chance — the package requires 100 % coverage, and
// a branch reached only by some random inputs once failed CI. FC_SEED=<number> runs another seed,
// FC_SEED=random a new one each run (to look for counterexamples; fast-check prints the seed).
import fc from 'fast-check';

const seed = process.env.FC_SEED;
if (seed !== 'random') fc.configureGlobal({ seed: seed ? Number(seed) : 20261202 });
