/**
 * The build's third step (after tsc and copy-assets): bundles the compiled entry points into one
 * ESM file each, dist/bundle/{server,cli,demo}.js with source maps, so a start loads one file
 * instead of ~1,870 modules (Node's module loader was the largest part of the start-up time,
 * docs/benchmarks.md "Start-up"). The bundle's source maps chain through tsc's, so
 * `node --enable-source-maps` reports src/*.ts lines.
 *
 * What stays outside (loaded from node_modules at run time, as before):
 * - packages that read files next to themselves when running (EXTERNAL, with the reason);
 * - pino, which fastify loads: its transports start a worker from pino's and thread-stream's own
 *   folder (pino-pretty when stdout is a terminal). pino is not a dependency of this package, so
 *   the bundle loads it the way fastify would, resolved from fastify's folder (VIA_PARENT).
 *
 * Our own modules that use import.meta (the member pages' CSS, the GraphiQL assets, the formation
 * worker's file, the default data folder, createRequire) get the URL of their file in dist/, not
 * the bundle's, so dist/ keeps those files and the bundle finds them where tsc put them. Any
 * other bundled file that refers to its own location fails the build unless it is listed in
 * KNOWN_SELF_LOCATING with why that is harmless: such a package belongs in EXTERNAL.
 *
 * The formation worker (dist/formation/formation.worker.js) is not bundled: it starts when a
 * formation run does, not at start-up.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';

const apiDir = path.resolve(import.meta.dirname, '..');
const distDir = path.join(apiDir, 'dist');
const outDir = path.join(distDir, 'bundle');

/** Packages imported from node_modules at run time, not bundled. */
const EXTERNAL = [
  // Opens its postgres.wasm / postgres.data (and extensions) from its own folder.
  '@electric-sql/pglite',
  // Serves Swagger UI's static files from its own folder.
  '@fastify/swagger-ui',
  // Reads its zones/*.ics files from its own folder.
  '@touch4it/ical-timezones',
  // Started by name as a pino transport in a worker thread (pretty logs on a terminal).
  'pino-pretty',
  // Imported only when configured (REDIS_URL, SMTP): stay lazy, out of the start.
  'ioredis',
  'nodemailer',
  // Optional native addons, required inside try/catch (pg, ws); not installed.
  'pg-native',
  'bufferutil',
  'utf-8-validate',
];

/** Transitive packages kept external, resolved at run time from the folder of the package that depends on them. */
const VIA_PARENT = { pino: 'fastify' };

/**
 * Bundled files (under node_modules) that mention __dirname, __filename or import.meta, and why
 * that is harmless in the bundle (where __dirname is not defined and import.meta is the bundle's).
 */
const KNOWN_SELF_LOCATING = {
  '@fastify/swagger/lib/util/read-package-json.js':
    "reads @fastify/swagger's package.json for the document's default info, inside try/catch; openapi.plugin.ts sets info",
  'mercurius/lib/routes.js':
    "serves mercurius' own GraphiQL from its folder; its graphiql option is off (graphiql.plugin.ts)",
  'qlobber/lib/qlobber.js': 'only in a comment (an example)',
};

const SELF_LOCATING = /\b__dirname\b|\b__filename\b|\bimport\.meta\.(?:url|dirname|filename)\b/;
const IMPORT_META = /\bimport\.meta\.(url|dirname|filename)\b/g;

/** Gives our own compiled modules the import.meta of their file in dist/ (see the file's comment). */
const ownImportMeta = {
  name: 'own-import-meta',
  setup(b) {
    b.onLoad({ filter: /\.js$/ }, async (args) => {
      if (!args.path.startsWith(distDir + path.sep) || args.path.startsWith(outDir + path.sep)) return;
      const source = await readFile(args.path, 'utf8');
      if (source.search(IMPORT_META) === -1) return; // loaded as usual
      const relative = JSON.stringify(path.relative(outDir, args.path).split(path.sep).join('/'));
      const url = `new URL(${relative}, import.meta.url)`;
      const contents = source.replace(IMPORT_META, (_, what) =>
        what === 'url'
          ? `${url}.href`
          : what === 'filename'
            ? `__bundleFileURLToPath(${url})`
            : `__bundlePath.dirname(__bundleFileURLToPath(${url}))`,
      );
      return { contents, loader: 'js', resolveDir: path.dirname(args.path) };
    });
  },
};

/** Loads VIA_PARENT's packages from node_modules at run time, resolved from their parent's folder. */
const viaParent = {
  name: 'external-via-parent',
  setup(b) {
    const names = Object.keys(VIA_PARENT).join('|');
    b.onResolve({ filter: new RegExp(`^(${names})$`) }, (args) => ({
      path: args.path,
      namespace: 'via-parent',
    }));
    b.onLoad({ filter: /.*/, namespace: 'via-parent' }, (args) => ({
      // `require` is the banner's, resolving from the bundle's folder, where the parent is a dependency.
      contents: `module.exports = __bundleCreateRequire(require.resolve(${JSON.stringify(VIA_PARENT[args.path])}))(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

// CommonJS dependencies call require() (node built-ins, optional packages); an ESM file has none.
const banner = [
  "import { createRequire as __bundleCreateRequire } from 'node:module';",
  "import __bundlePath from 'node:path';",
  "import { fileURLToPath as __bundleFileURLToPath } from 'node:url';",
  'const require = __bundleCreateRequire(import.meta.url);',
].join('\n');

const result = await build({
  absWorkingDir: apiDir,
  entryPoints: {
    server: 'dist/server.js',
    cli: 'dist/cli.js',
    demo: 'dist/demo/demo.js',
  },
  outdir: outDir,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.11',
  // Linked source maps (dist/bundle/*.js.map), chained through tsc's maps to src/*.ts.
  sourcemap: 'linked',
  // Positions only, no copy of the sources' text: server.js.map is 3.6 MB instead of 11 MB, and
  // `--enable-source-maps` reads and parses it when the bundle loads.
  sourcesContent: false,
  // Keeps function and class names, as logs and stack traces show them.
  keepNames: true,
  external: EXTERNAL,
  plugins: [viaParent, ownImportMeta],
  banner: { js: banner },
  metafile: true,
  logLevel: 'warning',
});

const unexplained = [];
for (const input of Object.keys(result.metafile.inputs)) {
  const match = /node_modules\/(?!.*node_modules\/)(.*)$/.exec(input);
  if (!match || match[1] in KNOWN_SELF_LOCATING) continue;
  if (SELF_LOCATING.test(await readFile(path.join(apiDir, input), 'utf8'))) unexplained.push(match[1]);
}
if (unexplained.length > 0) {
  console.error(
    `bundle.mjs: these bundled files refer to their own location; add their package to EXTERNAL ` +
      `(or explain them in KNOWN_SELF_LOCATING):\n  ${unexplained.join('\n  ')}`,
  );
  process.exit(1);
}
