/**
 * Security headers (Content-Security-Policy, Strict-Transport-Security, X-Content-Type-Options,
 * Referrer-Policy, …) on every response, by helmet with its defaults; a route may set its own
 * helmet options in `config.securityHeaders` (GraphiQL's page does, for its scripts).
 *
 * helmet decides the headers; this plugin decides when. For options that hold no function (every
 * option set here: the defaults and GraphiQL's CSP), the headers do not depend on the request, so
 * helmet's middleware runs once, at start or when the route is added, against a recording
 * response, and each request gets that list of headers set. Running helmet's dozen middlewares on
 * every request was 2.3 % of the service's CPU on a leader list page, setting the headers included
 * (docs/benchmarks.md "API"). Options holding a function (a CSP nonce per request, say) run
 * helmet's middleware per request. The headers are the same either way
 * (test/security-headers.test.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** helmet's options for this route instead of its defaults (e.g. a page's own CSP). */
    securityHeaders?: HelmetOptions;
  }
}

type Middleware = ReturnType<typeof helmet>;
/** What helmet does to a response: headers set, in order, and headers removed. */
interface Recorded {
  readonly set: ReadonlyArray<readonly [string, string | number | readonly string[]]>;
  readonly remove: readonly string[];
}
/** Sets the headers on a response: recorded once, or helmet run for this request. */
type Apply = (req: IncomingMessage, res: ServerResponse, done: (err?: Error) => void) => void;

/** true when the options hold a function anywhere (their headers may differ per request). */
export function holdsFunction(value: unknown): boolean {
  if (typeof value === 'function') return true;
  if (value === null || typeof value !== 'object') return false;
  return Object.values(value).some(holdsFunction);
}

/** Runs helmet's middleware once against a response that records what it is told to do. */
function record(middleware: Middleware): Recorded {
  const set: [string, string | number | readonly string[]][] = [];
  const remove: string[] = [];
  const res = {
    setHeader(name: string, value: string | number | readonly string[]) {
      set.push([name, value]);
    },
    removeHeader(name: string) {
      remove.push(name);
    },
  } as unknown as ServerResponse;
  let called = false;
  middleware({} as IncomingMessage, res, (err?: unknown) => {
    if (err) throw err;
    called = true;
  });
  if (!called) throw new Error('helmet did not finish synchronously');
  return { set, remove };
}

/** The fastest way to set these options' headers that gives the same headers as helmet. */
export function securityHeadersFor(options?: HelmetOptions): Apply {
  const middleware = helmet(options);
  if (options !== undefined && holdsFunction(options)) {
    return (req, res, done) => middleware(req, res, (err?: unknown) => done(err as Error | undefined));
  }
  const { set, remove } = record(middleware);
  return (_req, res, done) => {
    for (const name of remove) res.removeHeader(name);
    for (const [name, value] of set) res.setHeader(name, value);
    done();
  };
}

export default fp(
  async (app) => {
    const defaults = securityHeadersFor();
    const perRoute = new Map<HelmetOptions, Apply>();
    app.addHook('onRoute', (route) => {
      const options = route.config?.securityHeaders;
      if (options !== undefined && !perRoute.has(options)) perRoute.set(options, securityHeadersFor(options));
    });
    app.addHook('onRequest', (request, reply, done) => {
      const options = request.routeOptions.config.securityHeaders;
      const apply = (options !== undefined && perRoute.get(options)) || defaults;
      apply(request.raw, reply.raw, done);
    });
  },
  { name: 'security-headers', fastify: '5.x' },
);
