/**
 * The application as a plugin tree, in a fixed order: external (errors, database, security,
 * OpenAPI, rate limit) → app (auth, idempotency) → routes → GraphQL. `buildApp` is what the
 * server and the tests start; server.ts only adds listening and shutdown.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { v7 as uuidv7 } from 'uuid';
import { calendarFeedModule } from './calendar/calendar-feed.graphql.js';
import calendarFeedRoutes from './calendar/calendar-feed.routes.js';
import type { Config } from './config.js';
import type { DatabaseHandle } from './db/database.js';
import { announceTimeDrivenEvents } from './evaluations/announcements.js';
import { evaluationModule } from './evaluations/evaluation.graphql.js';
import evaluationRoutes from './evaluations/evaluation.routes.js';
import { eventModule } from './events/event.graphql.js';
import eventRoutes from './events/event.routes.js';
import events from './events/events.plugin.js';
import { formationModule } from './formation/formation.graphql.js';
import formationRunner from './formation/formation.plugin.js';
import formationRoutes from './formation/formation.routes.js';
import { textModule } from './graphql/text.graphql.js';
import { refuseDeepBodies } from './http/body-depth.js';
import cors from './http/cors.plugin.js';
import idempotency from './http/idempotency.plugin.js';
import language from './http/language.plugin.js';
import { LazySchemas } from './http/lazy-schemas.js';
import rateLimit from './http/rate-limit.plugin.js';
import securityHeaders from './http/security-headers.plugin.js';
import scheduler from './jobs/scheduler.plugin.js';
import { leaderModule } from './leaders/leader.graphql.js';
import leaderRoutes from './leaders/leader.routes.js';
import { leaderBulkModule } from './leaders/leader-bulk.graphql.js';
import leaderBulkRoutes from './leaders/leader-bulk.routes.js';
import { leavingModule } from './leaving/leader-lifecycle.graphql.js';
import leavingRoutes from './leaving/leader-lifecycle.routes.js';
import mail from './mail/mail.plugin.js';
import type { Mailer } from './mail/mailer.js';
import { meetingModule } from './meetings/meeting.graphql.js';
import meetingRoutes from './meetings/meeting.routes.js';
import { requestLogSerializer } from './member-pages/log.js';
import memberPages from './member-pages/member-pages.plugin.js';
import { memberTokenModule } from './member-tokens/member-token.graphql.js';
import memberTokenRoutes from './member-tokens/member-token.routes.js';
import memberSession from './members/member-session.plugin.js';
import { networkModule } from './networks/network.graphql.js';
import networkRoutes from './networks/network.routes.js';
import auth from './plugins/auth.plugin.js';
import database from './plugins/database.plugin.js';
import errors, { sendProblem } from './plugins/errors.plugin.js';
import graphql from './plugins/graphql.plugin.js';
import openapi from './plugins/openapi.plugin.js';
import operationsRoutes from './plugins/operations.routes.js';
import { programmeModule } from './programme/programme.graphql.js';
import programmeRoutes from './programme/programme.routes.js';
import { readinessModule } from './readiness/readiness.graphql.js';
import readinessRoutes from './readiness/readiness.routes.js';
import { reviewModule } from './reviews/review.graphql.js';
import { openReviewIfDue } from './reviews/review.open.js';
import reviewRoutes from './reviews/review.routes.js';
import scimRoutes from './scim/scim.routes.js';
import { tenantSettingsModule } from './tenants/tenant-settings.graphql.js';
import tenantSettingsRoutes from './tenants/tenant-settings.routes.js';
import { allCorsOrigins, corsOriginsGeneration } from './tenants/tenant-settings.service.js';
import { webhookModule } from './webhooks/webhook.graphql.js';
import webhooks from './webhooks/webhook.plugin.js';
import webhookRoutes from './webhooks/webhook.routes.js';

export interface BuildOptions {
  /** An already open database (tests); otherwise opened from the config. */
  readonly database?: DatabaseHandle;
  /** Logger options that replace the service's own; tests pass `false`. */
  readonly logger?: FastifyServerOptions['logger'];
  /** Where the service's own logger (level and redaction from the config) writes; default stdout. */
  readonly logStream?: NodeJS.WritableStream;
  /** Readable log lines (pino-pretty) instead of JSON: server.ts sets it when stdout is a terminal. */
  readonly prettyLogs?: boolean;
  /** A mailer to use instead of the configured one (tests). */
  readonly mailer?: Mailer;
}

/** Logs never carry credentials (product rules: pino with secrets redacted). */
export const LOG_REDACT = ['authorization', 'cookie', '["idempotency-key"]'].flatMap((h) => [
  // Headers logged on their own, or under any one key (req, request, options, …).
  `headers.${h}`,
  `*.headers.${h}`,
]);

/**
 * Bodies are validated strictly (no type coercion, unknown properties rejected: no mass
 * assignment); query strings and params are coerced from text, as they must be.
 */
function validatorCompiler(lazy: LazySchemas) {
  const options = { allErrors: true, strict: false, removeAdditional: false, useDefaults: true } as const;
  const body = addFormats.default(new Ajv.default({ ...options, coerceTypes: false }));
  const other = addFormats.default(new Ajv.default({ ...options, coerceTypes: 'array' }));
  return lazy.validatorCompiler(({ schema, httpPart }: { schema: object; httpPart?: string }) =>
    (httpPart === 'body' ? body : other).compile(schema),
  );
}

export async function buildApp(config: Config, options: BuildOptions = {}) {
  // Route schemas compile on first use (or in the background once listening), not at start-up.
  const lazySchemas = new LazySchemas();
  const app = Fastify({
    schemaController: { compilersFactory: { buildSerializer: lazySchemas.buildSerializer } },
    logger: options.logger ?? {
      level: config.logLevel,
      redact: LOG_REDACT,
      // The member pages' sign-in link carries a single-use token in its path: never logged.
      serializers: { req: requestLogSerializer },
      ...(options.logStream ? { stream: options.logStream } : {}),
      ...(options.prettyLogs && !options.logStream
        ? {
            transport: {
              target: 'pino-pretty',
              options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' },
            },
          }
        : {}),
    },
    requestIdHeader: 'x-request-id',
    genReqId: () => uuidv7(),
    bodyLimit: config.bodyLimitBytes,
    requestTimeout: config.requestTimeoutMs,
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true },
    frameworkErrors: sendProblem,
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(validatorCompiler(lazySchemas));
  app.decorate('lazySchemas', lazySchemas);
  // JSON only: a text/plain body is a 415 problem, not a string for the schema to reject.
  app.removeContentTypeParser('text/plain');
  app.addHook('preValidation', refuseDeepBodies);
  // A callback hook, not an async one: it runs on every response, and has nothing to wait for.
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id);
    done(null, payload);
  });

  // External
  await app.register(errors);
  await app.register(database, { config, ...(options.database ? { database: options.database } : {}) });
  await app.register(securityHeaders);
  // Before every feature that adds a periodic task (the rate limit's sweep is the first).
  await app.register(scheduler, { config });
  await app.register(events, { config, announce: announceTimeDrivenEvents });
  await app.register(webhooks, { config });
  // Per API key, else per address, counted in Redis or PostgreSQL: shared by every replica.
  await app.register(rateLimit, { config });

  // App
  await app.register(auth);
  // `{ da, en }` texts also in the language asked for (Accept-Language, else a member's own).
  await app.register(language);
  // CORS for /v1 and /graphql, per tenant: after auth, whose caller decides the actual request.
  await app.register(cors, { origins: allCorsOrigins, generation: corsOriginsGeneration });
  await app.register(mail, { config, ...(options.mailer ? { mailer: options.mailer } : {}) });
  await app.register(memberSession);
  await app.register(idempotency);
  await app.register(formationRunner, { config });

  // Routes (the OpenAPI plugin first, so it sees every route registered after it)
  await app.register(openapi);
  await app.register(operationsRoutes);
  await app.register(leaderRoutes);
  await app.register(leavingRoutes);
  await app.register(leaderBulkRoutes, { config });
  await app.register(readinessRoutes);
  await app.register(tenantSettingsRoutes);
  await app.register(memberTokenRoutes);
  await app.register(meetingRoutes, { afterHeld: openReviewIfDue });
  await app.register(evaluationRoutes);
  await app.register(reviewRoutes);
  await app.register(networkRoutes);
  await app.register(formationRoutes);
  await app.register(programmeRoutes);
  await app.register(eventRoutes);
  await app.register(webhookRoutes, { config });
  await app.register(calendarFeedRoutes, { config });
  await app.register(scimRoutes, { config, prefix: '/scim/v2' });
  await app.register(memberPages, { config, prefix: '/m' });

  // GraphQL
  await app.register(graphql, {
    modules: [
      leaderModule,
      leavingModule,
      leaderBulkModule,
      readinessModule,
      tenantSettingsModule,
      memberTokenModule,
      networkModule,
      meetingModule(openReviewIfDue),
      formationModule,
      evaluationModule,
      reviewModule,
      programmeModule,
      eventModule,
      webhookModule(config),
      calendarFeedModule(config.publicUrl),
      // Last: it extends the text types the modules above define.
      textModule,
    ],
  });

  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
