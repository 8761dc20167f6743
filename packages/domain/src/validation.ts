import type { LocalizedText } from './text.js';

/**
 * One problem found by a validating constructor: where (a dotted path into the input, '' for the
 * whole value), a stable machine code, and a message in Danish and English.
 */
export interface ValidationIssue {
  readonly path: string;
  readonly code: ValidationIssueCode;
  readonly message: LocalizedText;
}

/** The closed set of field-level validation codes shared by every parser in the package. */
export type ValidationIssueCode =
  | 'required'
  | 'wrong_type'
  | 'not_allowed'
  | 'too_short'
  | 'too_long'
  | 'too_small'
  | 'too_large'
  | 'duplicate'
  | 'invalid_format'
  | 'invalid_reference'
  | 'unknown_property';

/** The failure of a validating constructor: every issue found, not only the first. */
export interface ValidationFailure {
  readonly code: 'validation_failed';
  readonly issues: readonly ValidationIssue[];
}
