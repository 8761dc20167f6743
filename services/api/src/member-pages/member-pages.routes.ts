/**
 * The pages of a signed-in member: their networks and one network (charter, health), their
 * calendar feed, attendance (afbud and confirm), the evaluation form, and their own data (/m/me).
 */
import type { FastifyInstance } from 'fastify';
import { createOwnFeed, ownFeed, revokeOwnFeed } from '../calendar/calendar-feed.service.js';
import type { Config } from '../config.js';
import { ProblemError } from '../errors/problem.js';
import { submitEvaluation } from '../evaluations/evaluation.service.js';
import { respondToMeeting } from '../meetings/meeting.service.js';
import { acceptCharterVersion } from '../networks/charter.service.js';
import { setOwnSignalConsent } from '../networks/network.service.js';
import { tr } from './i18n.js';
import {
  context,
  doneText,
  field,
  hidden,
  IdParams,
  messageOf,
  send,
  sessionOr,
} from './member-pages.kit.js';
import {
  afbudPreview,
  evaluationForm,
  healthOverview,
  mineOverview,
  networkDetail,
  networksOverview,
} from './member-pages.service.js';
import { afbudPage } from './views/afbud.js';
import { calendarLinkPage, calendarSection } from './views/calendar.js';
import { notFoundPage } from './views/errors.js';
import { type EvaluationValues, evaluationPage, QUESTIONS } from './views/evaluation.js';
import type { FieldErrors } from './views/fields.js';
import { healthPage } from './views/health.js';
import { minePage } from './views/mine.js';
import { networkPage } from './views/network.js';
import { networksPage } from './views/networks.js';

/** Registers the signed-in member's routes on the member pages' scope. */
export function memberRoutes(app: FastifyInstance, config: Config): void {
  // -- my networks, a network --

  app.get('/', { schema: hidden }, async (request, reply) => {
    const session = sessionOr(request, reply);
    if (!session) return reply;
    const overview = await networksOverview(app.db, session, new Date());
    const ctx = context(request, reply);
    const calendar = calendarSection(ctx, await ownFeed(app.db, session));
    return send(reply, networksPage(ctx, overview, doneText(request), calendar));
  });

  // -- the member's own calendar feed (docs/calendar-feeds.md): a new link shown once, or stopped --

  app.post('/calendar', { schema: hidden, preHandler: app.csrfProtection }, async (request, reply) => {
    const session = sessionOr(request, reply);
    if (!session) return reply;
    const feed = await createOwnFeed(app.db, session, request.memberLang, config.publicUrl, request.log);
    return send(reply, calendarLinkPage(context(request, reply), feed));
  });

  app.post('/calendar/stop', { schema: hidden, preHandler: app.csrfProtection }, async (request, reply) => {
    const session = sessionOr(request, reply);
    if (!session) return reply;
    await revokeOwnFeed(app.db, session, request.log);
    return reply.redirect('/m/?done=calendar', 303);
  });

  app.get('/networks/:id', { schema: { ...hidden, params: IdParams } }, async (request, reply) => {
    const session = sessionOr(request, reply);
    if (!session) return reply;
    const { id } = request.params as { id: string };
    const detail = await networkDetail(app.db, session, id, new Date());
    return send(reply, networkPage(context(request, reply), detail, doneText(request)));
  });

  app.post(
    '/networks/:id/charter/accept',
    { schema: { ...hidden, params: IdParams }, preHandler: app.csrfProtection },
    async (request, reply) => {
      const session = sessionOr(request, reply);
      if (!session) return reply;
      const { id } = request.params as { id: string };
      const version = Number(field(request.body, 'version'));
      if (!Number.isInteger(version) || version < 1)
        return send(reply, notFoundPage(context(request, reply)), 404);
      await acceptCharterVersion(app.db, session, id, version);
      return reply.redirect(`/m/networks/${id}?done=charter#charter`, 303);
    },
  );

  app.get('/networks/:id/health', { schema: { ...hidden, params: IdParams } }, async (request, reply) => {
    const session = sessionOr(request, reply);
    if (!session) return reply;
    const { id } = request.params as { id: string };
    return send(
      reply,
      healthPage(context(request, reply), await healthOverview(app.db, session, id, new Date())),
    );
  });

  // -- attendance: afbud (with its confirm step) and confirm --

  app.get('/meetings/:id/afbud', { schema: { ...hidden, params: IdParams } }, async (request, reply) => {
    const session = sessionOr(request, reply);
    if (!session) return reply;
    const { id } = request.params as { id: string };
    return send(
      reply,
      afbudPage(context(request, reply), await afbudPreview(app.db, session, id, new Date())),
    );
  });

  for (const [path, status, done] of [
    ['/meetings/:id/afbud', 'cancelled', 'afbud'],
    ['/meetings/:id/confirm', 'confirmed', 'confirmed'],
  ] as const) {
    app.post(
      path,
      { schema: { ...hidden, params: IdParams }, preHandler: app.csrfProtection },
      async (request, reply) => {
        const session = sessionOr(request, reply);
        if (!session) return reply;
        const { id } = request.params as { id: string };
        const { network, meeting } = await respondToMeeting(app.db, session, id, status);
        return reply.redirect(`/m/networks/${network.id}?done=${done}#meeting-${meeting.id}`, 303);
      },
    );
  }

  // -- evaluation --

  app.get('/meetings/:id/evaluation', { schema: { ...hidden, params: IdParams } }, async (request, reply) => {
    const session = sessionOr(request, reply);
    if (!session) return reply;
    const { id } = request.params as { id: string };
    const form = await evaluationForm(app.db, session, id);
    const saved = (request.query as Record<string, unknown>)?.saved === '1';
    return send(
      reply,
      evaluationPage(context(request, reply), {
        ...form,
        open: form.meeting.status === 'held' && Date.now() < form.closesAt.getTime(),
        values: form.mine ?? {},
        saved,
      }),
    );
  });

  app.post(
    '/meetings/:id/evaluation',
    { schema: { ...hidden, params: IdParams }, preHandler: app.csrfProtection },
    async (request, reply) => {
      const session = sessionOr(request, reply);
      if (!session) return reply;
      const { id } = request.params as { id: string };
      const lang = request.memberLang;
      const values: EvaluationValues = {};
      const errors: Record<string, string> = {};
      for (const q of QUESTIONS) {
        const raw = field(request.body, q);
        const n = raw === undefined || raw === '' ? Number.NaN : Number(raw);
        if (Number.isInteger(n)) values[q] = n;
        else errors[q] = tr(lang, 'chooseAnswer');
      }
      const comment = field(request.body, 'comment') ?? '';
      values.comment = comment;
      const again = async (status: number, pageErrors: FieldErrors, refusal: string | null = null) => {
        const form = await evaluationForm(app.db, session, id);
        return send(
          reply,
          evaluationPage(context(request, reply), {
            ...form,
            open: true,
            values,
            errors: pageErrors,
            refusal,
          }),
          status,
        );
      };
      if (Object.keys(errors).length > 0) return again(400, errors);
      try {
        await submitEvaluation(
          app.db,
          session,
          id,
          { ...values, comment: comment.trim() === '' ? null : comment },
          new Date(),
        );
      } catch (error) {
        if (!(error instanceof ProblemError) || error.code === 'not_found') throw error;
        if (error.code === 'validation_failed') {
          const issues = error.extras.issues ?? [];
          const byField: Record<string, string> = {};
          for (const issue of issues) {
            const name = issue.path.split(/[.[]/, 1)[0] ?? '';
            const key =
              (QUESTIONS as readonly string[]).includes(name) || name === 'comment' ? name : 'comment';
            byField[key] ??= issue.message[lang];
          }
          return again(400, byField);
        }
        return again(error.statusCode, {}, messageOf(error, lang));
      }
      return reply.redirect(`/m/meetings/${id}/evaluation?saved=1`, 303);
    },
  );

  // -- mine --

  app.get('/me', { schema: hidden }, async (request, reply) => {
    const session = sessionOr(request, reply);
    if (!session) return reply;
    return send(
      reply,
      minePage(context(request, reply), await mineOverview(app.db, session, new Date()), doneText(request)),
    );
  });

  app.post('/me/consent', { schema: hidden, preHandler: app.csrfProtection }, async (request, reply) => {
    const session = sessionOr(request, reply);
    if (!session) return reply;
    const networkId = field(request.body, 'network') ?? '';
    const share = field(request.body, 'share');
    if (share !== 'yes' && share !== 'no') return reply.redirect('/m/me', 303);
    await setOwnSignalConsent(app.db, session, networkId, share === 'yes');
    return reply.redirect('/m/me?done=consent', 303);
  });
}
