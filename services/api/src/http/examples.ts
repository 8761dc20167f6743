/**
 * Ids and instants the OpenAPI examples share, so that the examples tell one story: Mette Jensen,
 * Søren Nielsen, Anne Poulsen and Lars Mikkelsen in "Ledernetværk Aarhus 1", its charter, its
 * monthly evening meetings from 12 January 2027, and the trial-end review. Documentation only.
 */
export const EXAMPLE_IDS = {
  /** The HR platform's customer (Acme HR). */
  tenant: '0190a5f0-1a2b-7c3d-8e4f-0a1b2c3d4e5f',
  /** Mette Jensen (Aarhus Kommune), the leader of the leader examples. */
  mette: '0190a5f4-3c1e-7a3b-9d2e-4f5a6b7c8d9e',
  /** Søren Nielsen (Region Midtjylland). */
  soren: '0190a5f4-3c1e-7a3b-9d2e-4f5a6b7c8d9f',
  /** Anne Poulsen (Arla Foods). */
  anne: '0190a5f4-3c20-7c41-8b5e-1d2f3a4b5c6d',
  /** Lars Mikkelsen (Grundfos). */
  lars: '0190a5f4-3c22-7d13-a9f0-6e7d8c9b0a1f',
  /** Camilla Sørensen (Aarhus Universitetshospital). */
  camilla: '0190a5f4-3c24-7e25-8c01-7f8e9dab1c2e',
  /** Jesper Rasmussen (VIA University College). */
  jesper: '0190a5f4-3c26-7f37-9d12-809fadbc2d3f',
  network: '0190a5f5-0a2b-7c3d-8e4f-5a6b7c8d9e0f',
  meeting1: '0190a5f6-1b2c-7d3e-9f40-6b7c8d9e0f1a',
  meeting2: '0190a5f6-1b2d-7e4f-8a51-7c8d9e0f1a2b',
  agendaItem: '0190a5f8-2c3d-7e4f-9a5b-8d9e0f1a2b3c',
  review: '0190a5fa-3d4e-7f50-8b6c-9e0f1a2b3c4d',
  memberToken: '0190a5fb-4e5f-7061-9c7d-0f1a2b3c4d5e',
  formationRun: '0190a5fc-5f60-7172-8d8e-1a2b3c4d5e6f',
} as const;

export const EXAMPLE_TIMES = {
  leaderCreated: '2026-11-20T08:30:00.000Z',
  networkCreated: '2026-11-27T09:00:00.000Z',
  charterAdopted: '2026-11-27T10:15:00.000Z',
  charterAccepted: '2026-11-28T07:45:00.000Z',
  modelAdopted: '2026-12-01T09:00:00.000Z',
  /** The first meeting, Tuesday 12 January 2027 17:00–20:00 in Copenhagen (UTC+1). */
  meeting1Starts: '2027-01-12T16:00:00.000Z',
  meeting1Ends: '2027-01-12T19:00:00.000Z',
  meeting2Starts: '2027-02-12T16:00:00.000Z',
  meeting2Ends: '2027-02-12T19:00:00.000Z',
  /** An afbud given in good time before the first meeting. */
  afbud: '2027-01-08T11:20:00.000Z',
  meeting1Held: '2027-01-12T19:05:00.000Z',
} as const;
