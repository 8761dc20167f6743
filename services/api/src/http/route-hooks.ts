/**
 * Hooks that concern some routes only, attached to those routes as they are registered (Fastify's
 * route-level hooks, through `onRoute`) instead of added to the whole app and returning at once on
 * every other request. A hook added to the app runs on every request, reads included: an async
 * hook costs a promise and a turn of the microtask queue even when it does nothing, and the list
 * reads are measured against a bare Fastify app that has none (docs/benchmarks.md, "API").
 *
 * Only routes registered after the call get the hook: register the plugin that calls it before the
 * routes (app.ts does). A route-level hook runs after the app-level hooks of the same kind, and is
 * put before the route's own hooks of that kind (a preHandler a route declares, say).
 */
import type {
  FastifyInstance,
  onSendAsyncHookHandler,
  preHandlerAsyncHookHandler,
  RouteOptions,
} from 'fastify';

type Hook = (...args: never[]) => unknown;
type RouteHookName = 'preHandler' | 'onSend';
type Applies = (route: RouteOptions) => boolean;

export function addRouteHook(
  app: FastifyInstance,
  name: 'preHandler',
  applies: Applies,
  hook: preHandlerAsyncHookHandler,
): void;
export function addRouteHook(
  app: FastifyInstance,
  name: 'onSend',
  applies: Applies,
  hook: onSendAsyncHookHandler<unknown>,
): void;
export function addRouteHook(app: FastifyInstance, name: RouteHookName, applies: Applies, hook: Hook): void {
  app.addHook('onRoute', (route) => {
    if (!applies(route)) return;
    const own = route[name] as Hook | Hook[] | undefined;
    const list = own === undefined ? [] : Array.isArray(own) ? own : [own];
    (route as unknown as Record<RouteHookName, Hook[]>)[name] = [hook, ...list];
  });
}

/** The methods a route answers (a route may answer several). */
export function methodsOf(route: RouteOptions): string[] {
  return Array.isArray(route.method) ? [...route.method] : [route.method];
}
