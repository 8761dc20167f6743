/**
 * The meeting use cases, shared by REST and GraphQL: the meeting model and its versions, the
 * generated schedule with role holders, moves and cancellations, role overrides, agenda items,
 * whose case is next, attendance (confirm / afbud) and marking a meeting held. Every rule is the
 * domain's (meetingTransition for move, cancel, answer and held; attendanceResponse, roleHistory,
 * afbudReassignsRoles; scheduleMeetings, assignRoles, parseAgenda, proposeNextCases,
 * isLateCancellation, transition via advanceLifecycle). Each module authorises, loads, asks the
 * domain and stores: meeting.schedule (model, schedule, move, cancel, roles), meeting.agenda,
 * meeting.attendance (answers, afbud, held); meeting.access holds what they share and
 * meeting.resource the shapes. This file gathers them, so importers keep one path.
 */
export { meetingForCaller } from './meeting.access.js';
export * from './meeting.agenda.js';
export * from './meeting.attendance.js';
export * from './meeting.resource.js';
export * from './meeting.schedule.js';
