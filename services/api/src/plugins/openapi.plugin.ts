/**
 * The OpenAPI 3 document, generated from the routes' TypeBox schemas, at /openapi.json, and a
 * browsable page at /docs (Swagger UI; its assets ship in the package, so it works offline).
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';
import { foldProblemResponses, foldSchemaComponents, SCHEMA_COMPONENTS } from './openapi-components.js';

/** Headers a route's handler sets on a response, by status: declared in its `config`. */
export type ResponseHeader = 'etag' | 'location';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The headers the handler sets, by status code, for the OpenAPI document (`ETag`, `Location`). */
    responseHeaders?: Readonly<Record<number, readonly ResponseHeader[]>>;
  }
}

/** Each response header's component name and its name on the wire. */
const HEADER_NAMES = {
  ETag: 'ETag',
  Location: 'Location',
  XRequestId: 'X-Request-Id',
  XRateLimitLimit: 'X-RateLimit-Limit',
  XRateLimitRemaining: 'X-RateLimit-Remaining',
  XRateLimitReset: 'X-RateLimit-Reset',
  RetryAfter: 'Retry-After',
  IdempotentReplayed: 'Idempotent-Replayed',
} as const;

/** An OpenAPI header object, as far as these use it. */
interface HeaderObject {
  description: string;
  schema: { type: 'string' | 'integer'; format?: string; examples?: string[]; enum?: string[] };
}

/** Response headers as named components: the service sets them, generated clients can read them. */
export const RESPONSE_HEADERS: Record<keyof typeof HEADER_NAMES, HeaderObject> = {
  ETag: {
    description:
      'The version of the resource (`"<version>"`); send it back as `If-Match` to update it safely.',
    schema: { type: 'string', examples: ['"3"'] },
  },
  Location: {
    description: 'The URL of the resource created.',
    schema: { type: 'string', format: 'uri-reference' },
  },
  XRequestId: {
    description: 'The id of this request (the `x-request-id` sent, else one made here); it is in the logs.',
    schema: { type: 'string' },
  },
  XRateLimitLimit: {
    description: 'Requests allowed per window (a minute) for this key or address.',
    schema: { type: 'integer' },
  },
  XRateLimitRemaining: {
    description: 'Requests left in the current window.',
    schema: { type: 'integer' },
  },
  XRateLimitReset: {
    description: 'Seconds until the window starts again.',
    schema: { type: 'integer' },
  },
  RetryAfter: {
    description: 'Seconds to wait before trying again.',
    schema: { type: 'integer' },
  },
  IdempotentReplayed: {
    description:
      '`true` when this is the stored response of an earlier request with the same `Idempotency-Key`.',
    schema: { type: 'string', enum: ['true'] },
  },
};

/** What an operation's responses carry besides their body, read from its route. */
interface OperationHeaders {
  readonly rateLimited: boolean;
  readonly post: boolean;
  readonly declared: Readonly<Record<number, readonly ResponseHeader[]>>;
}

type Responses = Record<string, { headers?: Record<string, unknown> }>;

/**
 * Adds the response headers to the operations of the document. On every success: X-Request-Id
 * and, on rate-limited routes, the rate limit's; on a POST's success Idempotent-Replayed (any
 * POST with an Idempotency-Key can be replayed); the ETag and Location a route declares in
 * `config.responseHeaders`. On 429 the rate limit's and Retry-After, on 503 Retry-After. Error
 * responses carry X-Request-Id and the rate limit's headers too, but they are not repeated on
 * each of the ~1,000 problem responses: the problem document has the request id in its body.
 */
export function declareResponseHeaders(
  responses: Responses,
  { rateLimited, post, declared }: OperationHeaders,
) {
  const ref = (name: keyof typeof HEADER_NAMES) => ({
    [HEADER_NAMES[name]]: { $ref: `#/components/headers/${name}` },
  });
  for (const [code, response] of Object.entries(responses)) {
    const status = Number(code);
    const success = status >= 200 && status < 300;
    const own = declared[status] ?? [];
    response.headers = {
      ...response.headers,
      ...(own.includes('location') ? ref('Location') : {}),
      ...(own.includes('etag') ? ref('ETag') : {}),
      ...(success ? ref('XRequestId') : {}),
      ...(rateLimited && (success || status === 429)
        ? { ...ref('XRateLimitLimit'), ...ref('XRateLimitRemaining'), ...ref('XRateLimitReset') }
        : {}),
      ...(status === 429 || status === 503 ? ref('RetryAfter') : {}),
      ...(post && success ? ref('IdempotentReplayed') : {}),
    };
  }
}

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
    // Filled as the document's operations are transformed, read when the document is finished.
    const headersOf = new Map<string, OperationHeaders>();
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Sparring API',
          version: '1.1.0',
          license: { name: 'Proprietary' },
          description:
            'Leader networks (ledernetværk): leaders, networks, charters, meetings, evaluations, health and reviews. ' +
            'Errors are RFC 9457 problem documents with a stable `code`. Authenticate with `Authorization: Bearer <key>`. ' +
            'GraphQL: `POST /graphql`, with an explorer at [/graphiql](/graphiql).',
        },
        servers: [{ url: '/' }],
        components: {
          // Rendered like every schema, then folded into the paths (see openapi-components.ts).
          schemas: Object.fromEntries(SCHEMA_COMPONENTS) as Record<string, object>,
          headers: RESPONSE_HEADERS,
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
        foldSchemaComponents(doc as Parameters<typeof foldSchemaComponents>[0]);
        for (const item of Object.values(doc.paths ?? {}))
          for (const operation of Object.values(item ?? {})) {
            const op = operation as { operationId?: string; responses?: Responses };
            const headers = op.operationId ? headersOf.get(op.operationId) : undefined;
            if (headers && op.responses) declareResponseHeaders(op.responses, headers);
          }
        foldProblemResponses(doc as Parameters<typeof foldProblemResponses>[0]);
        return doc;
      },
      // Every operation gets a stable operationId (generated clients name their methods by it):
      // the route's own `schema.operationId`, else one derived from its method and path.
      transform: ({ schema, url, route }) => {
        const operationId = schema?.operationId ?? operationIdFor(route.method, url);
        headersOf.set(operationId, {
          rateLimited: route.config?.rateLimit !== false,
          post: String(route.method).toUpperCase() === 'POST',
          declared: route.config?.responseHeaders ?? {},
        });
        return { schema: { ...schema, operationId }, url };
      },
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
