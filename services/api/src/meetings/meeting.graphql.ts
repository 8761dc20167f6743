/**
 * The meetings slice of the GraphQL schema: the same use cases as REST (meeting.service.ts), the
 * same codes on errors. Nested fields (Network.meetingModel, Network.meetings, Meeting.agenda,
 * Meeting.attendance) are loaders: one query per batch, whatever the number of parents. These are
 * the resolvers and loaders; the types they resolve are in meeting.sdl.ts.
 */
import { problem, validationProblem } from '../errors/problem.js';
import type { GraphQLContext, GraphQLModule } from '../graphql/context.js';
import { lift, versionCheck, withoutNulls } from '../graphql/kit.js';
import { DEFAULT_PAGE_SIZE, decodeCursor, encodeCursor, pageSizeOf, toPage } from '../http/pagination.js';
import { networksById } from '../networks/network.repository.js';
import { beforeCutoff, memberCutoffs } from '../networks/network-access.js';
import {
  agendaOf,
  attendanceOf,
  latestModelVersions,
  meetingsOfNetworks,
  type StoredMeeting,
} from './meeting.repository.js';
import { meetingTypeDefs } from './meeting.sdl.js';
import {
  type AfterMeetingHeld,
  addAgendaItem,
  cancelMeeting,
  deleteAgendaItem,
  generateMeetings,
  markMeetingHeld,
  meetingForCaller,
  moveMeeting,
  nextCases,
  recordAfbudForMember,
  respondToMeeting,
  setMeetingModel,
  setMeetingRoles,
  toAgendaItemResource,
  toAttendanceResource,
  toMeetingResource,
  toModelResource,
} from './meeting.service.js';

/** A model version as GraphQL's MeetingModel: REST's resource with the model's fields lifted onto it. */
const modelOut = (networkId: string, v: Parameters<typeof toModelResource>[1]) =>
  lift(toModelResource(networkId, v), 'model');

/** A stored meeting as the GraphQL object: its resource in the network's time zone, with its cursor. */
const meetingOut = (meeting: Parameters<typeof toMeetingResource>[0], timeZone: string) => {
  const m = toMeetingResource(meeting, timeZone);
  return { ...m, cursor: encodeCursor(m.id) };
};

type Ctx = GraphQLContext;

/** The confirmAttendance / cancelAttendance resolver: the caller's answer for a meeting. */
const respond =
  (status: 'confirmed' | 'cancelled') => async (_: unknown, args: { meetingId: string }, ctx: Ctx) => {
    const { attendance, network } = await respondToMeeting(ctx.db, ctx.principal, args.meetingId, status);
    return toAttendanceResource(attendance, ctx.principal, network);
  };

type MeetingPageQuery = { obj: { id: string }; params: { first?: number | null; after?: string | null } };

/** One page of meetings per parent network, in sequence order (a former member: before they left). */
async function meetingPages(queries: MeetingPageQuery[], ctx: Ctx) {
  for (const q of queries) pageSizeOf(q.params.first ?? DEFAULT_PAGE_SIZE);
  const ids = [...new Set(queries.map((q) => q.obj.id))];
  // The parent Network was authorised by its own resolver; these queries serve every parent.
  const meetings = await meetingsOfNetworks(ctx.db, ctx.principal.tenantId, ids);
  const zones = await networksById(ctx.db, ctx.principal.tenantId, ids);
  // A former member lists the meetings that started before they left (as REST does).
  const cutoffs = await memberCutoffs(ctx.db, ctx.principal, ids);
  const visible = (m: StoredMeeting) =>
    cutoffs.has(m.networkId) && beforeCutoff(cutoffs.get(m.networkId)!, m.startsAt);
  return queries.map((q) => {
    const after = decodeCursor(q.params.after ?? undefined);
    const first = q.params.first ?? DEFAULT_PAGE_SIZE;
    const rows = meetings.filter(
      (m) => m.networkId === q.obj.id && visible(m) && (after === undefined || m.id > after),
    );
    const page = toPage(rows.slice(0, first + 1), first);
    return {
      nodes: page.items.map((m) => meetingOut(m, zones.get(m.networkId)?.time_zone ?? 'UTC')),
      nextCursor: page.nextCursor,
    };
  });
}

/** The meetings' GraphQL module; `afterHeld` as for the REST routes (app.ts hands it in). */
export const meetingModule = (afterHeld: AfterMeetingHeld): GraphQLModule => ({
  typeDefs: meetingTypeDefs,
  resolvers: {
    Query: {
      meeting: async (_: unknown, args: { id: string }, ctx: Ctx) => {
        const { meeting, network } = await meetingForCaller(ctx.db, ctx.principal, args.id);
        return meetingOut(meeting, network.time_zone);
      },
      nextCases: async (_: unknown, args: { networkId: string; count?: number | null }, ctx: Ctx) => {
        if (args.count != null && (args.count < 1 || args.count > 12))
          throw problem('validation_failed', 'count must be from 1 to 12');
        return nextCases(ctx.db, ctx.principal, args.networkId, args.count ?? undefined);
      },
    },
    Mutation: {
      setMeetingModel: async (
        _: unknown,
        args: { networkId: string; input: Record<string, unknown>; ifVersion?: number | null },
        ctx: Ctx,
      ) =>
        modelOut(
          args.networkId,
          await setMeetingModel(
            ctx.db,
            ctx.principal,
            args.networkId,
            withoutNulls(args.input),
            versionCheck(args.ifVersion),
          ),
        ),
      generateMeetings: async (_: unknown, args: { networkId: string; count: number }, ctx: Ctx) => {
        const { network, meetings } = await generateMeetings(ctx.db, ctx.principal, args.networkId, {
          count: args.count,
        });
        return meetings.map((m) => meetingOut(m, network.time_zone));
      },
      moveMeeting: async (
        _: unknown,
        args: { id: string; input: Record<string, unknown>; ifVersion: number },
        ctx: Ctx,
      ) => {
        const input = withoutNulls(args.input) as { startsAt?: string; endsAt?: string; venue?: unknown };
        if (Object.keys(input).length === 0)
          throw problem('validation_failed', 'Give startsAt, endsAt or venue');
        const { meeting, network } = await moveMeeting(
          ctx.db,
          ctx.principal,
          args.id,
          input,
          versionCheck(args.ifVersion),
        );
        return meetingOut(meeting, network.time_zone);
      },
      cancelMeeting: async (_: unknown, args: { id: string; ifVersion?: number | null }, ctx: Ctx) => {
        const { meeting, network } = await cancelMeeting(
          ctx.db,
          ctx.principal,
          args.id,
          versionCheck(args.ifVersion),
        );
        return meetingOut(meeting, network.time_zone);
      },
      setMeetingRoles: async (
        _: unknown,
        args: { id: string; input: Record<string, unknown>; ifVersion?: number | null },
        ctx: Ctx,
      ) => {
        const { meeting, network } = await setMeetingRoles(
          ctx.db,
          ctx.principal,
          args.id,
          withoutNulls(args.input),
          versionCheck(args.ifVersion),
        );
        return meetingOut(meeting, network.time_zone);
      },
      addAgendaItem: async (
        _: unknown,
        args: { meetingId: string; input: { ownerId?: string | null; title: string; kind: string } },
        ctx: Ctx,
      ) =>
        toAgendaItemResource(
          await addAgendaItem(
            ctx.db,
            ctx.principal,
            args.meetingId,
            withoutNulls(args.input) as { ownerId?: string; title: string; kind: string },
          ),
        ),
      removeAgendaItem: async (_: unknown, args: { id: string }, ctx: Ctx) => {
        await deleteAgendaItem(ctx.db, ctx.principal, args.id);
        return true;
      },
      confirmAttendance: respond('confirmed'),
      cancelAttendance: respond('cancelled'),
      recordAfbud: async (
        _: unknown,
        args: { meetingId: string; leaderId: string; cancelledAt: string },
        ctx: Ctx,
      ) => {
        const cancelledAt = new Date(args.cancelledAt);
        if (Number.isNaN(cancelledAt.getTime()) || !args.cancelledAt.includes('T'))
          throw validationProblem([
            {
              path: 'cancelledAt',
              code: 'invalid_format',
              message: { da: 'Skal være et ISO 8601-tidspunkt.', en: 'Must be an ISO 8601 date-time.' },
            },
          ]);
        const { attendance, network } = await recordAfbudForMember(
          ctx.db,
          ctx.principal,
          args.meetingId,
          args.leaderId,
          cancelledAt,
          ctx.log,
        );
        return toAttendanceResource(attendance, ctx.principal, network);
      },
      markMeetingHeld: async (
        _: unknown,
        args: { id: string; attendance: { leaderId: string; status: 'attended' | 'no_show' }[] },
        ctx: Ctx,
      ) => {
        const held = await markMeetingHeld(
          ctx.db,
          ctx.principal,
          args.id,
          { attendance: args.attendance },
          afterHeld,
        );
        return {
          meeting: meetingOut(held.meeting, held.network.time_zone),
          lifecycleStatus: held.lifecycleStatus,
        };
      },
    },
  },
  loaders: {
    Network: {
      meetingModel: async (queries: { obj: { id: string } }[], context: unknown) => {
        const ctx = context as unknown as Ctx;
        const ids = [...new Set(queries.map((q) => q.obj.id))];
        const latest = await latestModelVersions(ctx.db, ctx.principal.tenantId, ids);
        return queries.map((q) => {
          const v = latest.get(q.obj.id);
          return v ? modelOut(q.obj.id, v) : null;
        });
      },
      meetings: async (queries: MeetingPageQuery[], context: unknown) =>
        (await meetingPages(queries, context as unknown as Ctx)).map((page) => page.nodes),
      meetingPage: async (queries: MeetingPageQuery[], context: unknown) =>
        meetingPages(queries, context as unknown as Ctx),
    },
    Meeting: {
      agenda: async (queries: { obj: { id: string } }[], context: unknown) => {
        const ctx = context as unknown as Ctx;
        const items = await agendaOf(ctx.db, ctx.principal.tenantId, [
          ...new Set(queries.map((q) => q.obj.id)),
        ]);
        return queries.map((q) => items.filter((i) => i.meetingId === q.obj.id).map(toAgendaItemResource));
      },
      attendance: async (queries: { obj: { id: string; networkId: string } }[], context: unknown) => {
        const ctx = context as unknown as Ctx;
        const rows = await attendanceOf(ctx.db, ctx.principal.tenantId, [
          ...new Set(queries.map((q) => q.obj.id)),
        ]);
        const networks = await networksById(ctx.db, ctx.principal.tenantId, [
          ...new Set(queries.map((q) => q.obj.networkId)),
        ]);
        return queries.map((q) => {
          const network = networks.get(q.obj.networkId);
          if (!network) return [];
          return rows
            .filter((a) => a.meetingId === q.obj.id)
            .map((a) => toAttendanceResource(a, ctx.principal, network));
        });
      },
    },
  },
});
