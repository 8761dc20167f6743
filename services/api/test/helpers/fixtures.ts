import { api } from './api.js';
import type { Auth, TestApp } from './build.js';

/** Valid leader bodies for tests: each call gives a new email. */
let counter = 0;

export function leaderBody(overrides: Record<string, unknown> = {}) {
  counter++;
  return {
    name: `Leader ${counter}`,
    email: `leader${counter}.${Date.now()}@example.dk`,
    sector: 'public',
    organisation: `Org ${counter % 4}`,
    level: 'middle',
    yearsOfExperience: 5 + (counter % 10),
    region: 'Hovedstaden',
    languages: ['da'],
    motivations: ['people_leadership', 'dilemma_sparring'],
    availability: ['weekday_daytime'],
    formats: ['in_person'],
    preferredCadenceMonths: 2,
    ...overrides,
  };
}

/** A leader created through the API (`POST /v1/leaders` with `leaderBody(overrides)`): the resource. */
export async function createLeader(app: TestApp, auth: Auth, overrides: Record<string, unknown> = {}) {
  const res = await api(app, auth).post('/v1/leaders', leaderBody(overrides));
  if (res.statusCode !== 201) throw new Error(`leader: ${res.statusCode} ${res.body}`);
  return res.json() as { id: string; name: string; email: string; version: number };
}

/** The fields of the one member view every caller reads a network's members through, sorted. */
export const MEMBER_VIEW_KEYS = ['active', 'joinedAt', 'leaderId', 'leftAt', 'name', 'organisation', 'role'];
