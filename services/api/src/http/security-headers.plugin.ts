/**
 * Security headers (Content-Security-Policy, Strict-Transport-Security, X-Content-Type-Options,
 * Referrer-Policy, …) on every response, by helmet with its defaults; a route may set its own
 * helmet options in `config.securityHeaders` (GraphiQL's page does, for its scripts).
 *
 * helmet's middleware is built once here, at start for the defaults and when a route with its
 * own options is added. @fastify/helmet, which this replaces, called `helmet(options)` again on
 * every request, rebuilding all of its middlewares and their header values each time: 6 % of the
 * service's allocations and ~30 µs of CPU per request on a leader list page
 * (docs/benchmarks.md "Reads"). The headers are the same.
 */
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';

type Middleware = ReturnType<typeof helmet>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** helmet's options for this route instead of its defaults (e.g. a page's own CSP). */
    securityHeaders?: HelmetOptions;
  }
}

export default fp(
  async (app) => {
    const defaults: Middleware = helmet();
    const perRoute = new Map<HelmetOptions, Middleware>();
    app.addHook('onRoute', (route) => {
      const options = route.config?.securityHeaders;
      if (options !== undefined && !perRoute.has(options)) perRoute.set(options, helmet(options));
    });
    app.addHook('onRequest', (request, reply, done) => {
      const options = request.routeOptions.config.securityHeaders;
      const apply = (options !== undefined && perRoute.get(options)) || defaults;
      apply(request.raw, reply.raw, (err) => done(err as Error | undefined));
    });
  },
  { name: 'security-headers', fastify: '5.x' },
);
