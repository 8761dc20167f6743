/**
 * The language of the `{ da, en }` texts in REST responses (language.ts): each such text gets
 * `text` in the chosen language, the response says `Content-Language`, and every response that
 * holds texts says `Vary: Accept-Language`. Both `da` and `en` stay.
 */
import type { FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import { languageOfHeader, memberLanguage, type TextLanguage, textsIn } from './language.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set at registration: false when no success response of the route can hold a text. */
    mayHoldTexts?: boolean;
  }
}

/** Keywords this walk does not follow: a schema using one is taken to hold texts. */
const CONDITIONAL = ['patternProperties', 'if', 'then', 'else', 'not', 'prefixItems', 'dependentSchemas'];

/**
 * True unless `schema` (a route's response schemas) is written out in full and names no `{ da, en }`
 * text: a `$ref` or a schema without properties (an arbitrary object) may hold one. Decided once per
 * route, so a read whose answer cannot hold a text (the leader list, say) is not walked for texts
 * on every request; its problem documents (4xx, 5xx) still are.
 */
export function mayHoldTexts(schema: unknown, depth = 0): boolean {
  if (typeof schema === 'boolean') return schema; // true: any value
  if (schema === null || typeof schema !== 'object' || depth > 30) return true;
  const s = schema as Record<string, unknown>;
  if (typeof s.$ref === 'string' || CONDITIONAL.some((key) => key in s)) return true;
  const children: unknown[] = [];
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) if (Array.isArray(s[key])) children.push(...s[key]);
  const types = s.type === undefined ? undefined : ([] as unknown[]).concat(s.type);
  const untyped = types === undefined && children.length === 0 && s.enum === undefined && !('const' in s);
  if (untyped || types?.includes('object')) {
    const properties = (s.properties ?? {}) as Record<string, unknown>;
    if ('da' in properties && 'en' in properties) return true;
    children.push(...Object.values(properties));
    const extra = s.additionalProperties;
    // Properties the schema does not name are serialized unless additionalProperties is false.
    if (s.properties === undefined || extra === true) {
      if (extra !== false) return true;
    } else if (extra !== undefined && extra !== false) children.push(extra);
  }
  if (untyped || types?.includes('array')) {
    if (s.items === undefined) return true;
    children.push(...(Array.isArray(s.items) ? s.items : [s.items]));
  }
  return children.some((child) => mayHoldTexts(child, depth + 1));
}

/** The success (1xx–3xx) response schemas of a route's `schema.response`. */
function successSchemas(response: unknown): unknown[] | undefined {
  if (response === null || typeof response !== 'object') return undefined;
  return Object.entries(response)
    .filter(([code]) => /^[123]/.test(code) || code === 'default')
    .map(([, schema]) => schema);
}

const isPlain = (value: object) => {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

/** A copy of `payload` in which every `{ da, en }` text carries `text` in `lang`. */
export function withChosenText(payload: unknown, lang: TextLanguage): unknown {
  if (payload === null || typeof payload !== 'object') return payload;
  if (Array.isArray(payload)) return payload.map((item) => withChosenText(item, lang));
  if (!isPlain(payload)) return payload; // a Date, a Buffer: serialized as they are
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(payload)) out[key] = withChosenText(value, lang);
  if (typeof out.da === 'string' && typeof out.en === 'string') out.text = out[lang];
  return out;
}

/** Adds `field` to the response's Vary header unless it is there. */
function vary(reply: FastifyReply, field: string) {
  const current = String(reply.getHeader('vary') ?? '');
  const fields = current.split(',').map((f) => f.trim().toLowerCase());
  if (!fields.includes(field.toLowerCase())) reply.header('vary', current ? `${current}, ${field}` : field);
}

export default fp(
  async (app) => {
    app.addHook('onRoute', (route) => {
      const schemas = successSchemas(route.schema?.response);
      if (schemas === undefined) return; // no response schema: walked as before
      route.config = { ...route.config, mayHoldTexts: schemas.some((schema) => mayHoldTexts(schema)) };
    });
    app.addHook('preSerialization', async (request, reply, payload: unknown) => {
      if (payload === null || typeof payload !== 'object') return payload;
      if (reply.statusCode < 400 && request.routeOptions.config.mayHoldTexts === false) return payload;
      if (textsIn(payload).length === 0) return payload;
      vary(reply, 'Accept-Language');
      const lang =
        languageOfHeader(request.headers['accept-language']) ??
        (await memberLanguage(app.db, request.principal));
      if (!lang) return payload;
      reply.header('content-language', lang);
      return withChosenText(payload, lang);
    });
  },
  { name: 'language', fastify: '5.x', dependencies: ['auth'] },
);
