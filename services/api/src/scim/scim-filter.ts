/**
 * SCIM filters (RFC 7644 §3.4.2.2) as SQL: parsed by scim2-parse-filter, translated to a Kysely
 * expression on the `leaders` table, so the database does the filtering and paging. Attribute
 * names and operators are case-insensitive; `userName`, `emails.value` and `displayName` compare
 * case-insensitively (RFC 7643 §4.1: caseExact false), `externalId` exactly (caseExact true).
 * Anything the translation does not know is a 400 `invalidFilter`, never an empty match.
 */
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import { sql } from 'kysely';
import { type Filter, parse } from 'scim2-parse-filter';
import type { Database } from '../db/schema.js';
import { ENTERPRISE_USER_SCHEMA, MAX_FILTER_LENGTH, USER_SCHEMA } from './scim.constants.js';
import { scimError } from './scim-error.js';

type LeadersEb = ExpressionBuilder<Database, 'leaders'>;
export type LeaderWhere = (eb: LeadersEb) => Expression<SqlBool>;

/** How an attribute is stored and compared. */
type AttributeKind =
  | { kind: 'id' }
  | { kind: 'text'; column: 'email' | 'external_id' | 'name' | 'organisation'; caseExact: boolean }
  | { kind: 'time'; column: 'created_at' | 'updated_at' }
  | { kind: 'manager' };

/** The filterable attributes, by lower-cased path (core schema URN prefix removed). */
const ATTRIBUTES: Readonly<Record<string, AttributeKind>> = {
  id: { kind: 'id' },
  // The leader's email is stored lower-cased (the domain's parseLeaderProfile).
  username: { kind: 'text', column: 'email', caseExact: false },
  'emails.value': { kind: 'text', column: 'email', caseExact: false },
  externalid: { kind: 'text', column: 'external_id', caseExact: true },
  displayname: { kind: 'text', column: 'name', caseExact: false },
  'name.formatted': { kind: 'text', column: 'name', caseExact: false },
  [`${ENTERPRISE_USER_SCHEMA.toLowerCase()}:organization`]: {
    kind: 'text',
    column: 'organisation',
    caseExact: false,
  },
  [`${ENTERPRISE_USER_SCHEMA.toLowerCase()}:manager.value`]: { kind: 'manager' },
  'meta.created': { kind: 'time', column: 'created_at' },
  'meta.lastmodified': { kind: 'time', column: 'updated_at' },
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

const invalid = (detail: string) => scimError(400, 'invalidFilter', detail);

function attributeOf(attrPath: string): AttributeKind {
  let path = attrPath.toLowerCase();
  const core = `${USER_SCHEMA.toLowerCase()}:`;
  if (path.startsWith(core)) path = path.slice(core.length);
  const attribute = ATTRIBUTES[path];
  if (!attribute) throw invalid(`Filtering on ${attrPath} is not supported`);
  return attribute;
}

/** A LIKE pattern that matches `value` literally (backslash is the default escape character). */
const literal = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);

const TRUE = sql<SqlBool>`true`;
const FALSE = sql<SqlBool>`false`;

function compareText(
  eb: LeadersEb,
  attribute: Extract<AttributeKind, { kind: 'text' }>,
  op: string,
  value: string,
): Expression<SqlBool> {
  // The email column holds lower-case text already; other case-insensitive columns are lowered.
  const lhs =
    attribute.caseExact || attribute.column === 'email'
      ? eb.ref(attribute.column)
      : eb.fn('lower', [attribute.column]);
  const v = attribute.caseExact ? value : value.toLowerCase();
  switch (op) {
    case 'eq':
      return eb(lhs, '=', v);
    case 'ne':
      return eb.or([eb(lhs, '<>', v), eb(attribute.column, 'is', null)]);
    case 'co':
      return eb(lhs, 'like', `%${literal(v)}%`);
    case 'sw':
      return eb(lhs, 'like', `${literal(v)}%`);
    case 'ew':
      return eb(lhs, 'like', `%${literal(v)}`);
    default:
      throw invalid(`The operator ${op} is not supported on text attributes (eq, ne, co, sw, ew, pr are)`);
  }
}

const TIME_OPERATORS = { eq: '=', ne: '<>', gt: '>', ge: '>=', lt: '<', le: '<=' } as const;

function compare(eb: LeadersEb, f: { op: string; attrPath: string; compValue: unknown }) {
  const attribute = attributeOf(f.attrPath);
  const value = f.compValue;
  if (typeof value !== 'string') throw invalid(`${f.attrPath} compares with a string value`);
  switch (attribute.kind) {
    case 'id':
    case 'manager': {
      if (f.op !== 'eq' && f.op !== 'ne') throw invalid(`${f.attrPath} supports eq and ne`);
      const column = attribute.kind === 'id' ? 'id' : 'manager_id';
      // Ids are UUIDs: another value matches no leader (and is not sent to a uuid column).
      if (!UUID.test(value)) return f.op === 'eq' ? FALSE : TRUE;
      return f.op === 'eq'
        ? eb(column, '=', value.toLowerCase())
        : eb.or([eb(column, '<>', value.toLowerCase()), eb(column, 'is', null)]);
    }
    case 'time': {
      const op = TIME_OPERATORS[f.op as keyof typeof TIME_OPERATORS];
      if (!op) throw invalid(`${f.attrPath} supports eq, ne, gt, ge, lt, le`);
      const at = new Date(value);
      if (!RFC3339.test(value) || Number.isNaN(at.getTime()))
        throw invalid(`${f.attrPath} compares with an RFC 3339 date-time such as 2026-12-01T08:00:00Z`);
      return eb(attribute.column, op, at);
    }
    case 'text':
      return compareText(eb, attribute, f.op, value);
  }
}

function present(eb: LeadersEb, attrPath: string): Expression<SqlBool> {
  const attribute = attributeOf(attrPath);
  if (attribute.kind === 'manager') return eb('manager_id', 'is not', null);
  if (attribute.kind === 'text' && attribute.column === 'external_id')
    return eb('external_id', 'is not', null);
  return TRUE; // every other filterable attribute always has a value
}

function translate(eb: LeadersEb, f: Filter, prefix = ''): Expression<SqlBool> {
  switch (f.op) {
    case 'and':
      return eb.and(f.filters.map((g) => translate(eb, g, prefix)));
    case 'or':
      return eb.or(f.filters.map((g) => translate(eb, g, prefix)));
    case 'not':
      return eb.not(translate(eb, f.filter, prefix));
    case '[]':
      // emails[value eq "x"] reads as emails.value eq "x"; nested value paths are not SCIM.
      if (prefix) throw invalid('A value path cannot be nested');
      return translate(eb, f.valFilter, `${f.attrPath}.`);
    case 'pr':
      return present(eb, prefix + f.attrPath);
    default:
      return compare(eb, { op: f.op, attrPath: prefix + f.attrPath, compValue: f.compValue });
  }
}

/**
 * Parses a SCIM filter and returns the WHERE clause it means, or throws the 400 invalidFilter
 * that says why not (a syntax error, an unsupported attribute or operator, a bad value).
 */
export function filterToWhere(filter: string): LeaderWhere {
  if (filter.length > MAX_FILTER_LENGTH) throw invalid(`A filter is at most ${MAX_FILTER_LENGTH} characters`);
  let parsed: Filter;
  try {
    parsed = parse(filter);
  } catch (error) {
    throw invalid(`The filter is not valid SCIM filter syntax: ${(error as Error).message}`);
  }
  // Kysely calls this while the query is built, so an unsupported attribute throws before any SQL.
  return (eb) => translate(eb, parsed);
}
