/**
 * What an adjusting review can change — the vocabulary shared by the recommendation (review.ts),
 * which suggests areas, and the lifecycle (lifecycle.ts), whose "adjust" decision names them.
 */

import { type LocalizedText, text } from './text.js';

/** What an adjusting review can change: the seed's "hvor ofte, hvor længe og hvor", the agenda and the contract. */
export const ADJUSTMENT_AREAS = [
  'cadence',
  'time_slot',
  'venue',
  'length',
  'agenda_format',
  'charter',
] as const;
export type AdjustmentArea = (typeof ADJUSTMENT_AREAS)[number];

export const ADJUSTMENT_AREA_LABELS: Readonly<Record<AdjustmentArea, LocalizedText>> = {
  cadence: text('Mødehyppighed', 'Cadence'),
  time_slot: text('Mødetidspunkt', 'Time slot'),
  venue: text('Mødested eller form', 'Venue or format'),
  length: text('Mødets længde', 'Meeting length'),
  agenda_format: text('Dagsordenens form', 'Agenda format'),
  charter: text('Kontrakt og målsætning', 'Charter and purpose'),
};
