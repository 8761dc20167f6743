/**
 * GraphQL at /graphql (mercurius): the same use cases and error codes as REST. The tenant comes
 * from the same credential (checked by the auth plugin before mercurius runs). Loaders batch per
 * type and field, so a nested query costs a bounded number of round trips. Depth, alias and cost
 * limits (graphql-armor) stop abusive queries while leaving introspection working.
 */
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import fp from 'fastify-plugin';
import { GraphQLError, Kind, parse } from 'graphql';
import mercurius from 'mercurius';
import { ProblemError, toProblemDocument, toProblemError } from '../errors/problem.js';
import type { GraphQLContext, GraphQLModule } from '../graphql/context.js';
import { languageOfHeader, memberLanguage, type TextLanguage } from '../http/language.js';
import { graphqlAction, recordTokenActions } from '../members/token-audit.js';
import type { Principal } from './auth.plugin.js';
import { problemHeaders, RETRY_AFTER_SECONDS } from './errors.plugin.js';
import graphiql from './graphiql.plugin.js';

/** The top-level fields of the mutation operations in a query (name and response key). */
function mutationFields(query: string): { name: string; alias: string }[] {
  try {
    return parse(query).definitions.flatMap((d) =>
      d.kind === Kind.OPERATION_DEFINITION && d.operation === 'mutation'
        ? d.selectionSet.selections.flatMap((sel) =>
            sel.kind === Kind.FIELD
              ? [{ name: sel.name.value, alias: sel.alias?.value ?? sel.name.value }]
              : [],
          )
        : [],
    );
  } catch {
    return [];
  }
}

/** Executions of one query text before it is compiled (the third run uses the compiled query). */
export const GRAPHQL_JIT_AFTER = 2;

/** Limits: depth 10 keeps GraphiQL-style introspection (which needs depth ≥ 7) working. */
export const GRAPHQL_LIMITS = { maxDepth: 10, maxAliases: 15, maxCost: 5000 } as const;

const baseTypeDefs = /* GraphQL */ `
  type Query {
    "The service's version of the API."
    apiVersion: String!
  }
  type Mutation {
    _noop: Boolean
  }
`;

export interface GraphQLPluginOptions {
  readonly modules: readonly GraphQLModule[];
}

function mergeResolvers(modules: readonly GraphQLModule[]) {
  const merged: Record<string, Record<string, unknown>> = { Query: { apiVersion: () => '1' }, Mutation: {} };
  for (const m of modules) {
    for (const [type, fields] of Object.entries(m.resolvers))
      merged[type] = { ...merged[type], ...(fields as object) };
  }
  return merged;
}

function mergeLoaders(modules: readonly GraphQLModule[]) {
  const merged: Record<string, Record<string, unknown>> = {};
  for (const m of modules) {
    for (const [type, fields] of Object.entries(m.loaders ?? {}))
      merged[type] = { ...merged[type], ...fields };
  }
  return merged;
}

/** A GraphQL error carrying the same code (and issues) as the REST problem document would. */
function formatError(error: GraphQLError) {
  const original = error.originalError;
  if (original === undefined || original instanceof GraphQLError) {
    // A syntax or validation error of the query itself.
    return {
      message: error.message,
      locations: error.locations,
      path: error.path,
      extensions: { code: 'bad_request', status: 400 },
    };
  }
  const coded = toProblemError(original);
  // A 503 says what to do (retry later); any other server error says nothing about internals.
  const message =
    coded.statusCode >= 500 && coded.code !== 'service_unavailable'
      ? 'Internal error'
      : (coded.detail ?? coded.message);
  return {
    message,
    locations: error.locations,
    path: error.path,
    extensions: { code: coded.code, status: coded.statusCode, ...coded.extras },
  };
}

export default fp<GraphQLPluginOptions>(
  async (app, { modules }) => {
    await app.register(mercurius, {
      schema: [baseTypeDefs, ...modules.map((m) => m.typeDefs)].join('\n'),
      resolvers: mergeResolvers(modules) as never,
      loaders: mergeLoaders(modules) as never,
      // mercurius' GraphiQL page loads its files from a CDN: ours (graphiql.plugin.ts) is served from here.
      graphiql: false,
      path: '/graphql',
      // A query text seen GRAPHQL_JIT_AFTER times is compiled with graphql-jit (mercurius's `jit`);
      // parsed and validated queries are cached by text already (mercurius's `cache`, 1,024 by default).
      jit: GRAPHQL_JIT_AFTER,
      queryDepth: GRAPHQL_LIMITS.maxDepth,
      validationRules: [
        maxAliasesRule({ n: GRAPHQL_LIMITS.maxAliases }),
        maxDepthRule({ n: GRAPHQL_LIMITS.maxDepth, ignoreIntrospection: true }),
        costLimitRule({ maxCost: GRAPHQL_LIMITS.maxCost, ignoreIntrospection: true }),
      ] as never,
      // The auth plugin has refused any request without a principal before a resolver can run.
      context: (request): GraphQLContext => {
        let language: Promise<TextLanguage> | undefined;
        return {
          db: app.db,
          principal: request.principal as Principal,
          log: request.log,
          mailer: app.mailer,
          // Asked once per request, when a text is: the header, else a member's own, else Danish.
          textLanguage: () => {
            language ??= (async () =>
              languageOfHeader(request.headers['accept-language']) ??
              (await memberLanguage(app.db, request.principal)) ??
              'da')();
            return language;
          },
        };
      },
      errorHandler: async (error, request, reply) => {
        const queryErrors =
          error instanceof GraphQLError ? [error] : (error as { errors?: GraphQLError[] }).errors;
        if (Array.isArray(queryErrors) && !(error instanceof ProblemError)) {
          // The query itself is malformed or over a limit: a GraphQL response, as clients expect.
          await reply.code(400).send({ data: null, errors: queryErrors.map(formatError) });
          return;
        }
        // Refused before GraphQL ran (credentials, body size, content type): the same problem as REST.
        const coded = toProblemError(error);
        if (coded.code === 'service_unavailable') {
          // The database went away before the query ran (e.g. while checking the credential): a
          // GraphQL error with the same code a resolver would give, so clients handle one shape.
          await reply
            .code(coded.statusCode)
            .headers(problemHeaders(coded))
            .send({
              data: null,
              errors: [
                {
                  message: coded.detail ?? coded.message,
                  extensions: { code: coded.code, status: coded.statusCode },
                },
              ],
            });
          return;
        }
        if (coded.statusCode >= 500) request.log.error({ err: error }, 'graphql request failed');
        await reply
          .code(coded.statusCode)
          .type('application/problem+json')
          .send(toProblemDocument(coded, request.url, request.id));
      },
      errorFormatter: (execution, context) => {
        const errors = execution.errors.map(formatError);
        for (const [i, e] of errors.entries()) {
          if (e.extensions.status >= 500)
            context.reply.log.error({ err: execution.errors[i] }, 'graphql resolver failed');
        }
        const onlyQueryErrors =
          execution.data == null && errors.every((e) => e.extensions.code === 'bad_request');
        // The database is away: Retry-After as on REST, and a 503 when nothing could be answered.
        const unavailable = errors.some((e) => e.extensions.code === 'service_unavailable');
        if (unavailable) context.reply.header('retry-after', String(RETRY_AFTER_SECONDS));
        const onlyUnavailable =
          execution.data == null && errors.every((e) => e.extensions.code === 'service_unavailable');
        return {
          statusCode: onlyQueryErrors ? 400 : onlyUnavailable ? 503 : 200,
          response: { data: execution.data ?? null, errors },
        };
      },
    });

    // "Who acted for me": each mutation field a minted member token ran without an error is
    // recorded before the response leaves (members/token-audit.ts).
    app.graphql.addHook('onResolution', async (execution, context) => {
      const principal = context.reply.request.principal;
      if (principal?.kind !== 'member' || principal.via !== 'token' || execution.data == null) return;
      const failed = new Set((execution.errors ?? []).map((e) => String(e.path?.[0] ?? '')));
      const body = context.reply.request.body as { query?: unknown } | undefined;
      const fields = typeof body?.query === 'string' ? mutationFields(body.query) : [];
      const done = fields.filter((f) => !failed.has(f.alias) && execution.data?.[f.alias] != null);
      await recordTokenActions(
        app.db,
        principal,
        done.map((f) => graphqlAction(f.name)),
        new Date(),
      );
    });

    // The explorer at /graphiql, served from the installed packages (works offline).
    await app.register(graphiql);
  },
  { name: 'graphql', fastify: '5.x', dependencies: ['database', 'auth', 'mail'] },
);
