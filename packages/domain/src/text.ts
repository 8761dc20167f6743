/** A user-facing text in both of the product's languages: Danish (the seed's) and English. */
export interface LocalizedText {
  readonly da: string;
  readonly en: string;
}

/** Builds a localized text. */
export const text = (da: string, en: string): LocalizedText => ({ da, en });

/** An unpaired UTF-16 surrogate: half of a character, not a character. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Whether a string is text that can be stored as given: no NUL character (PostgreSQL's text and
 * jsonb refuse it) and well-formed UTF-16 (no lone surrogate, which no encoding can carry). Every
 * text the package parses is checked with it; a service checks its own text fields with it too.
 */
export const isStorableText = (value: string): boolean =>
  !value.includes('\u0000') && !LONE_SURROGATE.test(value);
