/**
 * Small building blocks for the package's validating constructors. A `FieldReader` reads fields of
 * an unknown input, collects every issue (not only the first) and returns typed values, so each
 * `parseX` reads as a list of its fields and rules.
 */
import { isStorableText, text } from './text.js';
import type { ValidationIssue, ValidationIssueCode } from './validation.js';

const join = (base: string, key: string | number): string =>
  base === '' ? String(key) : typeof key === 'number' ? `${base}[${key}]` : `${base}.${key}`;

const messages: Record<ValidationIssueCode, (detail: string) => ReturnType<typeof text>> = {
  required: () => text('Feltet skal udfyldes.', 'This field is required.'),
  wrong_type: (d) => text(`Forkert type: forventede ${d}.`, `Wrong type: expected ${d}.`),
  not_allowed: (d) =>
    text(`Værdien er ikke tilladt. Tilladte værdier: ${d}.`, `Value not allowed. Allowed: ${d}.`),
  too_short: (d) => text(`For kort: mindst ${d}.`, `Too short: at least ${d}.`),
  too_long: (d) => text(`For lang: højst ${d}.`, `Too long: at most ${d}.`),
  too_small: (d) => text(`For lille: mindst ${d}.`, `Too small: at least ${d}.`),
  too_large: (d) => text(`For stor: højst ${d}.`, `Too large: at most ${d}.`),
  duplicate: (d) => text(`Dubleret værdi: ${d}.`, `Duplicate value: ${d}.`),
  invalid_format: (d) => text(`Ugyldigt format: ${d}.`, `Invalid format: ${d}.`),
  invalid_reference: (d) => text(`Ugyldig reference: ${d}.`, `Invalid reference: ${d}.`),
  unknown_property: () => text('Ukendt felt.', 'Unknown property.'),
};

/** Builds one issue with the standard bilingual message for its code. */
export const issue = (path: string, code: ValidationIssueCode, detail = ''): ValidationIssue => ({
  path,
  code,
  message: messages[code](detail),
});

/** The issue of a text that cannot be stored as given (see isStorableText), at `path`. */
export const unstorableTextIssue = (path: string): ValidationIssue =>
  issue(path, 'invalid_format', 'text without NUL characters or unpaired surrogates');

/** True for a plain object (not null, not an array). */
export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads typed fields from an unknown object, collecting issues into a shared list. */
export class FieldReader {
  readonly issues: ValidationIssue[];
  private readonly record: Record<string, unknown>;

  constructor(
    input: unknown,
    readonly path = '',
    issues: ValidationIssue[] = [],
  ) {
    this.issues = issues;
    if (isRecord(input)) {
      this.record = input;
    } else {
      this.record = {};
      this.issues.push(issue(path, 'wrong_type', 'object'));
    }
  }

  /** Records an issue at a field of this object. */
  fail(key: string, code: ValidationIssueCode, detail = ''): void {
    this.issues.push(issue(join(this.path, key), code, detail));
  }

  /** Reports every property that is not in `known` (no mass assignment). */
  rejectUnknown(known: readonly string[]): void {
    for (const key of Object.keys(this.record)) if (!known.includes(key)) this.fail(key, 'unknown_property');
  }

  has(key: string): boolean {
    return this.record[key] !== undefined;
  }

  raw(key: string): unknown {
    return this.record[key];
  }

  childPath(key: string | number): string {
    return join(this.path, key);
  }

  string(
    key: string,
    opts: { min?: number; max?: number; optional?: boolean; pattern?: [RegExp, string] } = {},
  ) {
    const value = this.record[key];
    if (value === undefined || value === null) {
      if (!opts.optional) this.fail(key, 'required');
      return undefined;
    }
    if (typeof value !== 'string') return void this.fail(key, 'wrong_type', 'string');
    if (!isStorableText(value)) return void this.issues.push(unstorableTextIssue(join(this.path, key)));
    const trimmed = value.trim();
    const min = opts.min ?? (opts.optional ? 0 : 1);
    if (trimmed.length < min) return void this.fail(key, min <= 1 ? 'required' : 'too_short', `${min}`);
    if (opts.max !== undefined && trimmed.length > opts.max)
      return void this.fail(key, 'too_long', `${opts.max}`);
    if (opts.pattern && !opts.pattern[0].test(trimmed))
      return void this.fail(key, 'invalid_format', opts.pattern[1]);
    return trimmed;
  }

  number(key: string, opts: { min?: number; max?: number; integer?: boolean; optional?: boolean } = {}) {
    const value = this.record[key];
    if (value === undefined || value === null) {
      if (!opts.optional) this.fail(key, 'required');
      return undefined;
    }
    if (typeof value !== 'number' || !Number.isFinite(value))
      return void this.fail(key, 'wrong_type', 'number');
    if (opts.integer && !Number.isInteger(value)) return void this.fail(key, 'wrong_type', 'integer');
    if (opts.min !== undefined && value < opts.min) return void this.fail(key, 'too_small', `${opts.min}`);
    if (opts.max !== undefined && value > opts.max) return void this.fail(key, 'too_large', `${opts.max}`);
    return value;
  }

  boolean(key: string, opts: { optional?: boolean } = {}) {
    const value = this.record[key];
    if (value === undefined || value === null) {
      if (!opts.optional) this.fail(key, 'required');
      return undefined;
    }
    if (typeof value !== 'boolean') return void this.fail(key, 'wrong_type', 'boolean');
    return value;
  }

  oneOf<T extends string | number>(key: string, options: readonly T[], opts: { optional?: boolean } = {}) {
    const value = this.record[key];
    if (value === undefined || value === null) {
      if (!opts.optional) this.fail(key, 'required');
      return undefined;
    }
    if (!(options as readonly unknown[]).includes(value))
      return void this.fail(key, 'not_allowed', options.join(', '));
    return value as T;
  }

  /** An array of distinct allowed values. */
  setOf<T extends string | number>(
    key: string,
    options: readonly T[],
    opts: { min?: number; optional?: boolean } = {},
  ) {
    return this.array(key, opts, (item, path) => {
      if (!(options as readonly unknown[]).includes(item)) {
        this.issues.push(issue(path, 'not_allowed', options.join(', ')));
        return undefined;
      }
      return item as T;
    });
  }

  /** An array of distinct strings (e.g. ids or languages). */
  stringSet(key: string, opts: { min?: number; max?: number; optional?: boolean; itemMax?: number } = {}) {
    return this.array(key, opts, (item, path) => {
      if (typeof item !== 'string' || item.trim() === '') {
        this.issues.push(issue(path, 'wrong_type', 'non-empty string'));
        return undefined;
      }
      if (!isStorableText(item)) {
        this.issues.push(unstorableTextIssue(path));
        return undefined;
      }
      if (opts.itemMax !== undefined && item.length > opts.itemMax) {
        this.issues.push(issue(path, 'too_long', `${opts.itemMax}`));
        return undefined;
      }
      return item.trim();
    });
  }

  /** An array whose items are read by `readItem`; duplicates (by JSON value) are an issue. */
  array<T>(
    key: string,
    opts: { min?: number; max?: number; optional?: boolean; allowDuplicates?: boolean },
    readItem: (item: unknown, path: string, index: number) => T | undefined,
  ): T[] | undefined {
    const value = this.record[key];
    if (value === undefined || value === null) {
      if (!opts.optional) this.fail(key, 'required');
      return undefined;
    }
    if (!Array.isArray(value)) return void this.fail(key, 'wrong_type', 'array');
    if (opts.min !== undefined && value.length < opts.min)
      return void this.fail(key, 'too_short', `${opts.min}`);
    if (opts.max !== undefined && value.length > opts.max)
      return void this.fail(key, 'too_long', `${opts.max}`);
    const out: T[] = [];
    const seen = new Set<string>();
    const before = this.issues.length;
    value.forEach((item, index) => {
      const path = join(join(this.path, key), index);
      const read = readItem(item, path, index);
      if (read === undefined) return;
      const id = JSON.stringify(read);
      if (!opts.allowDuplicates && seen.has(id)) {
        this.issues.push(issue(path, 'duplicate', typeof read === 'string' ? read : id));
        return;
      }
      seen.add(id);
      out.push(read);
    });
    return this.issues.length === before ? out : undefined;
  }
}
