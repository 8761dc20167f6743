/**
 * SCIM error bodies (RFC 7644 §3.12): every error under /scim/v2 leaves as
 * `{ schemas: [Error], status: "400", scimType?, detail }` with `application/scim+json`, including
 * 401s from the auth hook, 404s and the service's own coded problems (mapped here, once).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type ProblemError, toProblemError } from '../errors/problem.js';
import { problemHeaders } from '../plugins/errors.plugin.js';
import { ERROR_SCHEMA, SCIM_CONTENT_TYPE } from './scim.constants.js';

/** RFC 7644 §3.12, Table 9. */
export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive';

/** An error raised by the SCIM layer itself, with its status and `scimType`. */
export class ScimError extends Error {
  override readonly name = 'ScimError';
  constructor(
    readonly status: number,
    readonly scimType: ScimType | undefined,
    readonly detail: string,
  ) {
    super(detail);
  }
}

export const scimError = (status: number, scimType: ScimType | undefined, detail: string) =>
  new ScimError(status, scimType, detail);

export interface ScimErrorBody {
  readonly schemas: readonly [typeof ERROR_SCHEMA];
  readonly status: string;
  readonly scimType?: ScimType;
  readonly detail: string;
}

/** Where a leader profile field lives on a SCIM User (for error details). */
const SCIM_ATTRIBUTE_OF: Readonly<Record<string, string>> = {
  email: 'userName',
  name: 'displayName',
  externalId: 'externalId',
  organisation: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:organization',
  managerId: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager',
};

function scimPath(path: string): string {
  const head = path.split(/[.[]/)[0] ?? path;
  const mapped = SCIM_ATTRIBUTE_OF[head];
  if (mapped) return mapped + path.slice(head.length);
  return `urn:sparring:params:scim:schemas:extension:leader:2.0:User:${path}`;
}

/** The SCIM reading of a coded problem: its status, and the scimType where one fits. */
function fromProblem(coded: ProblemError): ScimError {
  const detail = coded.detail ?? coded.message;
  switch (coded.code) {
    case 'validation_failed': {
      const issues = coded.extras.issues ?? [];
      const text = issues.map((i) => `${scimPath(i.path)}: ${i.message.en}`).join('; ');
      return scimError(400, 'invalidValue', text || detail);
    }
    case 'bad_request':
      return scimError(400, 'invalidSyntax', detail);
    case 'email_taken':
      return scimError(409, 'uniqueness', detail.replace(/email/, 'userName'));
    case 'external_id_taken':
      return scimError(409, 'uniqueness', detail);
    case 'route_not_found':
      return scimError(404, undefined, `No SCIM endpoint ${detail}`);
    default:
      return scimError(coded.statusCode, undefined, detail);
  }
}

/** The SCIM error of anything thrown (internal errors keep their details out, as elsewhere). */
export function toScimError(error: unknown): { scim: ScimError; coded: ProblemError | undefined } {
  if (error instanceof ScimError) return { scim: error, coded: undefined };
  const coded = toProblemError(error);
  return { scim: fromProblem(coded), coded };
}

export function scimErrorBody(error: ScimError): ScimErrorBody {
  return {
    schemas: [ERROR_SCHEMA],
    status: String(error.status),
    ...(error.scimType ? { scimType: error.scimType } : {}),
    detail: error.detail,
  };
}

/** The error handler of the /scim/v2 plugin. */
export function sendScimError(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const { scim, coded } = toScimError(error);
  if (scim.status >= 500) request.log.error({ err: error }, 'SCIM request failed');
  else request.log.info({ status: scim.status, scimType: scim.scimType }, 'SCIM request refused');
  return reply
    .code(scim.status)
    .headers(coded ? problemHeaders(coded) : {})
    .type(SCIM_CONTENT_TYPE)
    .send(scimErrorBody(scim));
}
