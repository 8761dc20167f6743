/**
 * One registry of coded errors, mapped to RFC 9457 problem documents (REST) and to GraphQL error
 * extensions (the same `code`) in one place. A handler throws `problem(code, detail)`; domain
 * failures are turned into problems with `fromDomainFailure`.
 */
import type { ValidationIssue } from '@sparring/domain';
import { isConnectionError } from '../db/errors.js';

interface ProblemKind {
  readonly status: number;
  readonly title: string;
}

/** Every problem the service can answer with. Codes are stable: clients may switch on them. */
export const PROBLEMS = {
  bad_request: { status: 400, title: 'The request is malformed' },
  validation_failed: { status: 400, title: 'The request is not valid' },
  unauthorized: { status: 401, title: 'A valid API key or member token is required' },
  forbidden: { status: 403, title: 'This key may not do that' },
  cors_origin_not_allowed: {
    status: 403,
    title: 'No tenant allows browser calls from this origin (a tenant admin lists it in corsOrigins)',
  },
  private_data: {
    status: 403,
    title:
      "A member's private data is read only in the member's own session, never with an admin key or a minted token",
  },
  not_found: { status: 404, title: 'No such resource' },
  route_not_found: { status: 404, title: 'No such route' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  email_taken: { status: 409, title: 'A leader with this email already exists in the tenant' },
  external_id_taken: { status: 409, title: 'A leader with this externalId already exists in the tenant' },
  leader_in_use: { status: 409, title: 'The leader is part of a network and cannot be deleted' },
  leader_deactivated: { status: 409, title: 'The leader is deactivated (reactivate them first)' },
  leader_erased: {
    status: 410,
    title: 'The leader was erased (GDPR art. 17): their identity is gone and they cannot be changed',
  },
  conflict: { status: 409, title: 'The request conflicts with the current state' },
  lifecycle_refused: { status: 409, title: 'The network’s lifecycle does not allow this now' },

  // Domain refusals, by area (each helper adds its block; codes mirror the domain's closed unions)
  // -- formation --
  formation_not_finished: { status: 409, title: 'The formation run has not succeeded (yet)' },
  proposal_already_accepted: { status: 409, title: 'This proposal was accepted already' },
  // -- networks, members, charter --
  member_conflict: {
    status: 409,
    title: 'This leader cannot join this network (a conflict of interest; who is involved is not disclosed)',
  },
  network_full: { status: 409, title: 'The network already has its maximum number of members' },
  already_a_member: { status: 409, title: 'The leader is already an active member of this network' },
  not_an_active_member: { status: 403, title: 'Only active members of the network may do this' },
  not_the_latest_version: { status: 409, title: 'Only the latest charter version can be accepted' },
  // -- meetings, roles, agenda, attendance --
  no_meeting_model: { status: 409, title: 'The network has no meeting model yet' },
  meeting_not_planned: { status: 409, title: 'The meeting is no longer planned (it is held or cancelled)' },
  meeting_not_started: { status: 409, title: 'The meeting has not started yet' },
  // -- evaluations, health, reviews --
  meeting_not_held: { status: 409, title: 'Only a meeting that has been held can be evaluated' },
  not_an_attendee: { status: 403, title: 'Only members who attended the meeting can evaluate it' },
  wrong_meeting: { status: 400, title: 'The evaluation is for another meeting' },
  evaluation_window_closed: { status: 409, title: 'The evaluation window of this meeting has closed' },
  review_not_due: { status: 404, title: 'No review is due for this network' },
  // -- webhooks --
  webhook_url_invalid: { status: 400, title: 'The webhook URL is not a valid http or https URL' },
  webhook_url_not_allowed: {
    status: 400,
    title:
      'The webhook URL reaches an address the service does not call (loopback, private, link-local, unique-local, multicast)',
  },
  webhook_url_unresolvable: { status: 400, title: 'The host name of the webhook URL does not resolve' },
  unknown_event_type: { status: 400, title: 'No event type of this name in the catalogue' },
  webhook_endpoint_disabled: { status: 409, title: 'The webhook endpoint is disabled; enable it first' },

  idempotency_request_in_progress: {
    status: 409,
    title: 'A request with this Idempotency-Key is in progress',
  },
  precondition_failed: { status: 412, title: 'The resource has changed since it was read (ETag mismatch)' },
  payload_too_large: { status: 413, title: 'The request body is too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported content type; send application/json' },
  idempotency_key_reused: { status: 422, title: 'This Idempotency-Key was used with another request' },
  precondition_required: { status: 428, title: 'This update needs an If-Match header' },
  rate_limited: { status: 429, title: 'Too many requests' },
  internal_error: { status: 500, title: 'Internal error' },
  service_unavailable: { status: 503, title: 'Service unavailable' },
} as const satisfies Record<string, ProblemKind>;

export type ProblemCode = keyof typeof PROBLEMS;

/** Extra members of a problem document (RFC 9457 §3.2 extension members). */
export interface ProblemExtras {
  readonly issues?: readonly ValidationIssue[];
  readonly [key: string]: unknown;
}

/** A coded error on its way to becoming a problem document. */
export class ProblemError extends Error {
  override readonly name = 'ProblemError';
  readonly statusCode: number;
  constructor(
    readonly code: ProblemCode,
    readonly detail?: string,
    readonly extras: ProblemExtras = {},
  ) {
    super(detail ?? PROBLEMS[code].title);
    this.statusCode = PROBLEMS[code].status;
  }
}

/** Builds a coded error to throw from a handler or resolver. */
export const problem = (code: ProblemCode, detail?: string, extras?: ProblemExtras): ProblemError =>
  new ProblemError(code, detail, extras);

/** The JSON body of an `application/problem+json` response. */
export interface ProblemDocument {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly instance?: string;
  readonly code: string;
  readonly requestId?: string;
  readonly [key: string]: unknown;
}

/** The `type` URI of a code: a relative reference the service serves documentation at. */
export const problemType = (code: string): string => `/problems/${code}`;

/** A problem document for a coded error. */
export function toProblemDocument(
  error: ProblemError,
  instance?: string,
  requestId?: string,
): ProblemDocument {
  return {
    type: problemType(error.code),
    title: PROBLEMS[error.code].title,
    status: error.statusCode,
    ...(error.detail !== undefined ? { detail: error.detail } : {}),
    ...(instance !== undefined ? { instance } : {}),
    code: error.code,
    ...(requestId !== undefined ? { requestId } : {}),
    ...error.extras,
  };
}

/** Fastify's own error codes that reach the client, mapped onto the registry. */
const FASTIFY_CODES: Readonly<Record<string, ProblemCode>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'bad_request',
  FST_ERR_CTP_INVALID_JSON_BODY: 'bad_request',
  FST_ERR_BAD_URL: 'bad_request',
  FST_ERR_MAX_PARAM_LENGTH: 'bad_request',
  FST_ERR_VALIDATION: 'validation_failed',
  FST_ERR_NOT_FOUND: 'route_not_found',
  FST_ERR_RATE_LIMITED: 'rate_limited',
};

interface AjvLikeError {
  readonly instancePath?: string;
  readonly keyword?: string;
  readonly message?: string;
  readonly params?: Record<string, unknown>;
}

const VALIDATION_KEYWORDS: Readonly<Record<string, ValidationIssue['code']>> = {
  required: 'required',
  type: 'wrong_type',
  enum: 'not_allowed',
  const: 'not_allowed',
  anyOf: 'not_allowed',
  minLength: 'too_short',
  maxLength: 'too_long',
  minItems: 'too_short',
  maxItems: 'too_long',
  minimum: 'too_small',
  maximum: 'too_large',
  uniqueItems: 'duplicate',
  format: 'invalid_format',
  pattern: 'invalid_format',
  additionalProperties: 'unknown_property',
};

/** JSON types as a Danish sentence names them. */
const DANISH_TYPES: Readonly<Record<string, string>> = {
  string: 'en tekst',
  number: 'et tal',
  integer: 'et helt tal',
  boolean: 'sand eller falsk (true/false)',
  object: 'et objekt',
  array: 'en liste',
  null: 'null',
};

/**
 * Ajv's message in Danish, from its keyword and parameters (ajv-i18n, Ajv's own translations,
 * has no Danish). The English text stays Ajv's.
 */
export function danishSchemaMessage(e: AjvLikeError): string {
  const p = e.params ?? {};
  const limit = Number(p.limit);
  const list = (values: unknown) =>
    Array.isArray(values) ? values.map((v) => JSON.stringify(v)).join(', ') : '';
  switch (e.keyword) {
    case 'required':
      return `Feltet ${String(p.missingProperty)} skal udfyldes.`;
    case 'additionalProperties':
      return `Feltet ${String(p.additionalProperty)} kendes ikke.`;
    case 'type':
      return `Skal være ${String(p.type)
        .split(',')
        .map((t) => DANISH_TYPES[t] ?? t)
        .join(' eller ')}.`;
    case 'minLength':
      return `Mindst ${limit} tegn.`;
    case 'maxLength':
      return `Højst ${limit} tegn.`;
    case 'minItems':
      return `Mindst ${limit} ${limit === 1 ? 'element' : 'elementer'}.`;
    case 'maxItems':
      return `Højst ${limit} ${limit === 1 ? 'element' : 'elementer'}.`;
    case 'minimum':
      return `Mindst ${limit}.`;
    case 'maximum':
      return `Højst ${limit}.`;
    case 'exclusiveMinimum':
      return `Større end ${limit}.`;
    case 'exclusiveMaximum':
      return `Mindre end ${limit}.`;
    case 'enum':
      return `Skal være en af: ${list(p.allowedValues)}.`;
    case 'const':
      return `Skal være ${JSON.stringify(p.allowedValue)}.`;
    case 'format':
      return `Ikke et gyldigt format (${String(p.format)}).`;
    case 'pattern':
      return 'Har ikke det tilladte format.';
    case 'uniqueItems':
      return 'Den samme værdi står der flere gange.';
    case 'anyOf':
    case 'oneOf':
      return 'Ikke en af de tilladte former.';
    default:
      return 'Ugyldig værdi.';
  }
}

/** Turns JSON-schema validation errors (ajv) into the domain's issue shape, so both read alike. */
export function issuesFromSchemaErrors(errors: readonly AjvLikeError[], part?: string): ValidationIssue[] {
  return errors.map((e) => {
    const segments = (e.instancePath ?? '').split('/').filter(Boolean);
    const extra =
      e.keyword === 'required'
        ? String(e.params?.missingProperty ?? '')
        : e.keyword === 'additionalProperties'
          ? String(e.params?.additionalProperty ?? '')
          : '';
    if (extra) segments.push(extra);
    const path = segments
      .map((s) => (/^\d+$/.test(s) ? `[${s}]` : `.${s}`))
      .join('')
      .replace(/^\./, '');
    const message = e.message ?? 'is not valid';
    return {
      path: part && part !== 'body' ? (path ? `${part}.${path}` : part) : path,
      code: VALIDATION_KEYWORDS[e.keyword ?? ''] ?? 'invalid_format',
      message: { da: danishSchemaMessage(e), en: message },
    };
  });
}

/**
 * Normalises anything thrown into a coded error: our own problems pass through, a database that
 * cannot be reached is `service_unavailable` (503, worth a retry), Fastify's client errors are
 * mapped, anything else is an internal error whose details never reach the client.
 */
export function toProblemError(error: unknown): ProblemError {
  if (error instanceof ProblemError) return error;
  if (isConnectionError(error))
    return problem('service_unavailable', 'The database is not reachable; retry later');
  const e = error as {
    code?: string;
    statusCode?: number;
    validation?: AjvLikeError[];
    validationContext?: string;
  };
  if (e?.validation) {
    return problem('validation_failed', 'The request does not match the schema', {
      issues: issuesFromSchemaErrors(e.validation, e.validationContext),
    });
  }
  const mapped = e?.code ? FASTIFY_CODES[e.code] : undefined;
  if (mapped) {
    const detail =
      mapped === 'bad_request' || mapped === 'rate_limited' ? (error as Error).message : undefined;
    return problem(mapped, detail);
  }
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    const byStatus = (Object.keys(PROBLEMS) as ProblemCode[]).find(
      (c) => PROBLEMS[c].status === e.statusCode,
    );
    return problem(byStatus ?? 'bad_request', (error as Error).message);
  }
  return problem('internal_error');
}

/** A domain validation failure as a problem (400 with the domain's issues). */
export function validationProblem(issues: readonly ValidationIssue[]): ProblemError {
  return problem(
    'validation_failed',
    issues.map((i) => `${i.path || '(body)'}: ${i.message.en}`).join('; '),
    {
      issues,
    },
  );
}
