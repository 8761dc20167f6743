/**
 * The GraphQL explorer at /graphiql: GraphiQL served from the installed packages (graphiql's UMD
 * bundle and stylesheet, react and react-dom's UMD builds), so it works offline and loads nothing
 * from elsewhere. mercurius' own GraphiQL page (its `graphiql` option, off) fetches React and
 * GraphiQL from unpkg.com and cannot be pointed at local files.
 *
 * The page's Content-Security-Policy allows this origin only: scripts and stylesheets from here,
 * fetches to here (/graphql), fonts and images from here or data: URLs (GraphiQL's stylesheet
 * embeds its fonts). Inline styles are allowed on this page only (GraphiQL's components set
 * some); everything else keeps helmet's global policy. The API key is typed into GraphiQL's
 * headers editor and is not stored in the browser.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { problem } from '../errors/problem.js';

const require = createRequire(import.meta.url);
const packageDir = (name: string) => path.dirname(require.resolve(`${name}/package.json`));
const own = (file: string) => fileURLToPath(new URL(`./graphiql-assets/${file}`, import.meta.url));

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

/** The files the page loads, by the name in their URL (/graphiql/assets/<name>); nothing else is served. */
const ASSETS: Record<string, { readonly file: () => string; readonly type: string }> = {
  'react.production.min.js': {
    file: () => path.join(packageDir('react'), 'umd/react.production.min.js'),
    type: JS,
  },
  'react-dom.production.min.js': {
    file: () => path.join(packageDir('react-dom'), 'umd/react-dom.production.min.js'),
    type: JS,
  },
  'graphiql.min.js': { file: () => path.join(packageDir('graphiql'), 'graphiql.min.js'), type: JS },
  'graphiql.min.css': { file: () => path.join(packageDir('graphiql'), 'graphiql.min.css'), type: CSS },
  'explorer.js': { file: () => own('explorer.js'), type: JS },
  'explorer.css': { file: () => own('explorer.css'), type: CSS },
};

/** The explorer page's policy (see the file's comment). */
export const GRAPHIQL_CSP_DIRECTIVES = {
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  fontSrc: ["'self'", 'data:'],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
  frameAncestors: ["'none'"],
};

const page = (assets: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Sparring GraphQL explorer</title>
<link rel="stylesheet" href="${assets}/graphiql.min.css">
<link rel="stylesheet" href="${assets}/explorer.css">
</head>
<body>
<div id="graphiql"><p class="explorer-loading">Loading the GraphQL explorer…</p></div>
<noscript><p class="explorer-loading">The explorer needs JavaScript. The API itself is at POST /graphql.</p></noscript>
<script src="${assets}/react.production.min.js"></script>
<script src="${assets}/react-dom.production.min.js"></script>
<script src="${assets}/graphiql.min.js"></script>
<script src="${assets}/explorer.js"></script>
</body>
</html>
`;

interface Loaded {
  readonly body: Buffer;
  readonly etag: string;
  readonly type: string;
}

const graphiql: FastifyPluginAsync = async (app) => {
  const loaded = new Map<string, Promise<Loaded>>();
  const load = (name: string, asset: { file: () => string; type: string }) => {
    let entry = loaded.get(name);
    if (!entry) {
      entry = readFile(asset.file()).then((body) => ({
        body,
        etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
        type: asset.type,
      }));
      // A failed read is tried again on the next request, not remembered.
      entry.catch(() => loaded.delete(name));
      loaded.set(name, entry);
    }
    return entry;
  };

  app.get(
    '/graphiql',
    {
      schema: { hide: true },
      config: {
        auth: 'public',
        securityHeaders: {
          contentSecurityPolicy: { useDefaults: false, directives: GRAPHIQL_CSP_DIRECTIVES },
        },
      },
    },
    async (_request, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-cache')
        .send(page('/graphiql/assets')),
  );

  app.get<{ Params: { name: string } }>(
    '/graphiql/assets/:name',
    { schema: { hide: true }, config: { auth: 'public' } },
    async (request, reply) => {
      const asset = Object.hasOwn(ASSETS, request.params.name) ? ASSETS[request.params.name] : undefined;
      if (!asset) throw problem('not_found', 'No such file of the explorer');
      const { body, etag, type } = await load(request.params.name, asset);
      // Revalidated on every load (a new package version keeps the same URL), 304 when unchanged.
      reply.header('etag', etag).header('cache-control', 'no-cache');
      if (request.headers['if-none-match'] === etag) return reply.code(304).send();
      return reply.type(type).send(body);
    },
  );
};

export default fp(graphiql, { name: 'graphiql', fastify: '5.x', dependencies: ['errors'] });
