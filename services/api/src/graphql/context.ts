import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { IResolvers, MercuriusLoaders } from 'mercurius';
import type { Principal } from '../auth/principal.js';
import type { Database } from '../db/schema.js';
import type { Mailer } from '../mail/mailer.js';

/** What every resolver and loader gets: the database and the authenticated caller. */
export interface GraphQLContext {
  readonly db: Kysely<Database>;
  readonly principal: Principal;
  /** The request's logger (request id included), e.g. for audit lines. */
  readonly log: FastifyBaseLogger;
  /** The service's mailer (e.g. the notice to a leader's old address). */
  readonly mailer: Mailer;
  /** The language texts are given in when a query names none (text.graphql.ts). */
  readonly textLanguage: () => Promise<'da' | 'en'>;
}

/** One capability's share of the schema; graphql.plugin.ts merges them. */
export interface GraphQLModule {
  readonly typeDefs: string;
  // biome-ignore lint/suspicious/noExplicitAny: resolver maps are typed per field by each module
  readonly resolvers: IResolvers<any, any>;
  readonly loaders?: MercuriusLoaders;
}
