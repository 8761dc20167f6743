/** Route-level hooks (src/http/route-hooks.ts): on the routes chosen only, before a route's own. */
import t from '@sparring/test-workers/tap';
import Fastify from 'fastify';
import { addRouteHook, methodsOf } from '../src/http/route-hooks.js';

t.test('a route hook runs on the routes it applies to, before their own hooks of that kind', async (t) => {
  const app = Fastify();
  t.teardown(() => app.close());
  const ran: string[] = [];
  addRouteHook(
    app,
    'preHandler',
    (route) => methodsOf(route).includes('POST'),
    async (request) => {
      ran.push(`route hook ${request.method}`);
    },
  );
  app.post('/thing', { preHandler: async () => void ran.push('own hook') }, async () => {
    ran.push('handler');
    return { ok: true };
  });
  app.get('/thing', async () => {
    ran.push('read');
    return { ok: true };
  });
  app.route({ method: ['GET', 'POST'], url: '/both', handler: async () => ({ ok: true }) });

  await app.inject({ method: 'POST', url: '/thing' });
  t.same(ran.splice(0), ['route hook POST', 'own hook', 'handler']);
  await app.inject({ method: 'GET', url: '/thing' });
  t.same(ran.splice(0), ['read'], 'a read route does not have it');
  await app.inject({ method: 'GET', url: '/both' });
  t.same(ran.splice(0), ['route hook GET'], 'a route answering POST among others has it for all its methods');
});
