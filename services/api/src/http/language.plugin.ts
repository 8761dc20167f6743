/**
 * The language of the `{ da, en }` texts in REST responses (language.ts): each such text gets
 * `text` in the chosen language, the response says `Content-Language`, and every response that
 * holds texts says `Vary: Accept-Language`. Both `da` and `en` stay.
 */
import type { FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import { languageOfHeader, memberLanguage, type TextLanguage, textsIn } from './language.js';

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
    app.addHook('preSerialization', async (request, reply, payload: unknown) => {
      if (payload === null || typeof payload !== 'object' || textsIn(payload).length === 0) return payload;
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
