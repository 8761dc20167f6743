/**
 * `text(lang)` on every `{ da, en }` text type of the schema: the text in `lang`, else in the
 * language of the request's Accept-Language, else in a member's preferred language, else Danish.
 * `da` and `en` stay (src/http/language.ts).
 */
import type { LocalizedText } from '@sparring/domain';
import type { GraphQLContext, GraphQLModule } from './context.js';
import { enumSdl } from './sdl.js';

/** The schema's `{ da, en }` text types (one per module, all the same shape). */
const TEXT_TYPES = ['NetworkText', 'ReadinessText', 'MeetingText', 'EvaluationText'] as const;

const text = async (parent: LocalizedText, args: { lang?: 'da' | 'en' | null }, ctx: GraphQLContext) =>
  parent[args.lang ?? (await ctx.textLanguage())];

export const textModule: GraphQLModule = {
  typeDefs: /* GraphQL */ `
  "A language the service writes its texts in."
  ${enumSdl('TextLanguage', ['da', 'en'])}
  ${TEXT_TYPES.map(
    (type) => `extend type ${type} {
    "The text in lang; without it in the request's Accept-Language, a member's preferred language, else Danish."
    text(lang: TextLanguage): String!
  }`,
  ).join('\n  ')}
`,
  resolvers: Object.fromEntries(TEXT_TYPES.map((type) => [type, { text }])),
};
