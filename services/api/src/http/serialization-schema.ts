/**
 * Response schemas rewritten into the forms fast-json-stringify serializes fastest, with the same
 * output.
 *
 * The wire schemas are written for readers of the OpenAPI document: a nullable value is
 * `anyOf: [X, { type: 'null' }]` and an enum is `{ enum: [...] }` (TypeBox's `Union` and `Enum`).
 * fast-json-stringify serializes an `anyOf` by running an Ajv validation of each branch against
 * the value until one matches, and a schema without a `type` through its generic path; on a page of
 * 50 leaders (nine nullable or enum fields each, and enum arrays) that made the schema serializer
 * slower than `JSON.stringify`, although the schema is what keeps unlisted fields out of a response
 * (docs/benchmarks.md "Reads"). Rewritten here, for the serializer only (the OpenAPI document keeps
 * the readable forms):
 * - `anyOf: [X, { type: 'null' }]` (either order), X a scalar or an enum → X with
 *   `type: [X's type, 'null']`: fast-json-stringify checks for null, then serializes X's type;
 * - `{ enum: [...] }` without `type`, every value of one JSON type → the same with that `type`.
 * Everything else is left as it is (unions of objects keep their `anyOf`). fast-json-stringify does
 * not validate `enum` or `format` when it serializes, so a value outside the enum is written as
 * before.
 */

type Schema = Record<string, unknown>;

const SCALAR_TYPES = new Set(['string', 'integer', 'number', 'boolean']);

const isSchema = (value: unknown): value is Schema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The JSON type every value of an enum has, if they share one. */
function enumType(values: unknown[]): string | undefined {
  if (values.length === 0) return undefined;
  if (values.every((v) => typeof v === 'string')) return 'string';
  if (values.every((v) => Number.isInteger(v))) return 'integer';
  if (values.every((v) => typeof v === 'number')) return 'number';
  if (values.every((v) => typeof v === 'boolean')) return 'boolean';
  return undefined;
}

/** `X` of `anyOf: [X, null]` as one schema whose type admits null, or undefined when X is not a scalar. */
function nullableScalar(outer: Schema, branches: unknown[]): Schema | undefined {
  if (branches.length !== 2 || !branches.every(isSchema)) return undefined;
  const nullAt = branches.findIndex((b) => b.type === 'null' && Object.keys(b).length === 1);
  if (nullAt < 0) return undefined;
  const value = branches[1 - nullAt] as Schema;
  const type = value.type;
  if (typeof type !== 'string' || !SCALAR_TYPES.has(type)) return undefined;
  const { anyOf: _anyOf, ...annotations } = outer;
  const merged: Schema = { ...annotations, ...value, type: [type, 'null'] };
  if (Array.isArray(value.enum)) merged.enum = [...value.enum, null];
  return merged;
}

/** Keywords whose value is a map of names to schemas. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
/** Keywords whose value is a schema or a list of schemas. */
const SUBSCHEMAS = new Set([
  'items',
  'prefixItems',
  'additionalItems',
  'additionalProperties',
  'anyOf',
  'allOf',
  'oneOf',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
]);

/** A copy of `schema` in the forms above; `schema` itself is not changed. */
export function forSerialization(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(forSerialization);
  if (!isSchema(schema)) return schema;
  const copy: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (SCHEMA_MAPS.has(key) && isSchema(value)) {
      copy[key] = Object.fromEntries(Object.entries(value).map(([name, s]) => [name, forSerialization(s)]));
    } else copy[key] = SUBSCHEMAS.has(key) ? forSerialization(value) : value;
  }
  if (copy.type === undefined && Array.isArray(copy.enum)) {
    const type = enumType(copy.enum);
    if (type) copy.type = type;
  }
  if (Array.isArray(copy.anyOf)) return nullableScalar(copy, copy.anyOf) ?? copy;
  return copy;
}
