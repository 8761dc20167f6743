/**
 * The OpenAPI 3 document, generated from the routes' TypeBox schemas, at /openapi.json, and a
 * browsable page at /docs (Swagger UI; its assets ship in the package, so it works offline).
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';

const VERBS: Record<string, string> = {
  GET: 'get',
  POST: 'post',
  PUT: 'put',
  PATCH: 'patch',
  DELETE: 'delete',
};
const pascal = (word: string) =>
  word
    .split(/[-_.]/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');

/**
 * The operationId of a route without one, from its method and path alone, so it never changes
 * while the path does not: `GET /v1/networks/:id/meetings` → `getNetworksByIdMeetings`. The
 * version segment is left out; a path parameter reads `By<Name>`.
 */
export function operationIdFor(method: string | string[], url: string): string {
  const verb = VERBS[String(Array.isArray(method) ? method[0] : method).toUpperCase()] ?? 'call';
  const parts = url
    .split('/')
    .filter((s) => s !== '' && !/^v\d+$/.test(s))
    .map((s) =>
      s.startsWith(':') || s.startsWith('{') ? `By${pascal(s.replace(/^[:{]|}$/g, ''))}` : pascal(s),
    );
  return verb + parts.join('');
}

export default fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Sparring API',
          version: '1.0.0',
          license: { name: 'Proprietary' },
          description:
            'Leader networks (ledernetværk): leaders, networks, charters, meetings, evaluations, health and reviews. ' +
            'Errors are RFC 9457 problem documents with a stable `code`. Authenticate with `Authorization: Bearer <key>`. ' +
            'GraphQL: `POST /graphql`, with an explorer at [/graphiql](/graphiql).',
        },
        servers: [{ url: '/' }],
        components: {
          securitySchemes: {
            bearer: {
              type: 'http',
              scheme: 'bearer',
              description: 'An admin API key (sk_…) or a member token (mt_…)',
            },
          },
        },
        security: [{ bearer: [] }],
        tags: [
          { name: 'leaders', description: 'Leader profiles' },
          { name: 'member tokens', description: 'Short-lived tokens a leader acts with' },
          { name: 'networks', description: 'Networks, members and their lifecycle' },
          { name: 'charter', description: 'The network’s contract (kontrakt) and its acceptance' },
          { name: 'meetings', description: 'Meeting model, schedule, roles, agenda and attendance' },
          { name: 'evaluations', description: 'Evaluations, aggregates, health and signals' },
          { name: 'reviews', description: 'Trial period and reviews' },
          {
            name: 'formation',
            description: 'Formation runs: balanced networks proposed from a pool of leaders',
          },
          {
            name: 'webhooks',
            description: 'Webhook endpoints, their deliveries and redelivery (Standard Webhooks)',
          },
          { name: 'operations', description: 'Health checks and documentation' },
        ],
      },
      // GraphQL has its own schema (introspection at /graphql); it is not a REST operation.
      transformObject: (documentObject) => {
        if (!('openapiObject' in documentObject)) return documentObject.swaggerObject;
        const doc = documentObject.openapiObject;
        if (doc.paths) delete doc.paths['/graphql'];
        return doc;
      },
      // Every operation gets a stable operationId (generated clients name their methods by it):
      // the route's own `schema.operationId`, else one derived from its method and path.
      transform: ({ schema, url, route }) => ({
        schema: { ...schema, operationId: schema?.operationId ?? operationIdFor(route.method, url) },
        url,
      }),
      refResolver: {
        buildLocalReference: (json, _baseUri, _fragment, i) =>
          typeof json.$id === 'string' ? json.$id : `def-${i}`,
      },
    });
    await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
    app.get('/openapi.json', { schema: { hide: true }, config: { auth: 'public' } }, async () =>
      app.swagger(),
    );
  },
  { name: 'openapi', fastify: '5.x' },
);
