/** Module resolution hooks (see forbid-typescript.mjs): a TypeScript loader or a .ts module throws. */
const LOADERS = /^(tsx|ts-node|@tapjs\/typescript|@isaacs\/ts-node-temp-fork-for-pr-2009)(\/|$)/;

export async function resolve(specifier, context, nextResolve) {
  if (LOADERS.test(specifier)) throw new Error(`forbidden: a TypeScript loader (${specifier})`);
  const resolved = await nextResolve(specifier, context);
  if (/\.[cm]?tsx?$/.test(new URL(resolved.url).pathname)) {
    throw new Error(`forbidden: a TypeScript module (${resolved.url})`);
  }
  return resolved;
}
