/** Schemas shared by every route: the problem document and the response sets that use it. */
import { Type } from 'typebox';
import { PROBLEMS, type ProblemCode } from '../errors/problem.js';

/** A JSON Schema enum of the given values, typed as their union (the domain's closed vocabularies). */
export const oneOf = <const T extends readonly (string | number)[]>(values: T) =>
  Type.Enum([...values] as [...T]);

/** The body of an action that takes none: absent, `null` or `{}` — anything else is a 400 (no mass assignment). */
export const NoBody = Type.Union([Type.Object({}, { additionalProperties: false }), Type.Null()], {
  description: 'No body (or an empty object)',
  examples: [{}],
});

/**
 * A text in Danish and English; `text` is the one in the language the request chose
 * (Accept-Language, else a member's preferred language), absent when none was chosen.
 */
export const LocalizedTextSchema = Type.Object({
  da: Type.String(),
  en: Type.String(),
  text: Type.Optional(Type.String({ description: 'The text in the language the request chose' })),
});

export const ValidationIssueSchema = Type.Object({
  path: Type.String({ description: "Where in the input, dotted; '' for the whole body" }),
  code: Type.String(),
  message: LocalizedTextSchema,
});

export const ProblemSchema = Type.Object(
  {
    type: Type.String({ description: 'A URI reference naming the problem kind: /problems/{code}' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
    code: Type.String({ description: 'Stable machine-readable code', enum: Object.keys(PROBLEMS) }),
    requestId: Type.Optional(Type.String()),
    issues: Type.Optional(Type.Array(ValidationIssueSchema)),
  },
  {
    // A shared schema (registered once by the errors plugin): every route's problem responses
    // point to it, so the OpenAPI document names it once (#/components/schemas/Problem).
    $id: 'Problem',
    additionalProperties: true,
    description: 'RFC 9457 problem document (application/problem+json)',
    examples: [
      {
        type: '/problems/not_found',
        title: 'No such resource',
        status: 404,
        detail: 'No leader with this id',
        instance: '/v1/leaders/0190a5f4-0000-7000-8000-000000000000',
        code: 'not_found',
        requestId: 'req-1',
      },
    ],
  },
);

/** Problem responses for the given statuses, for a route's `response` schema. */
export function problemResponses(...statuses: number[]) {
  const out: Record<number, unknown> = {};
  for (const status of statuses) {
    const codes = (Object.keys(PROBLEMS) as ProblemCode[]).filter((c) => PROBLEMS[c].status === status);
    out[status] = {
      description: codes.map((c) => `\`${c}\`: ${PROBLEMS[c].title}`).join('; '),
      content: { 'application/problem+json': { schema: { $ref: 'Problem#' } } },
    };
  }
  return out;
}

/** The statuses every authenticated route can answer with. */
export const COMMON_PROBLEMS = [400, 401, 403, 413, 415, 429, 500] as const;
