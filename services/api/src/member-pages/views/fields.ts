/**
 * Form fields with their errors next to them: each error has an id the field names in
 * aria-describedby, and the field is aria-invalid. Used by every form of the member pages.
 */
import { html, type Part } from '../html.js';

/** Errors of a submitted form, by field name, already in the page's language. */
export type FieldErrors = Readonly<Record<string, string>>;

/** The ids a field is described by: its hint and its error, when present. */
export function describedBy(name: string, errors: FieldErrors, hint: boolean) {
  const ids = [hint ? `${name}-hint` : '', errors[name] ? `${name}-error` : ''].filter(Boolean).join(' ');
  return ids ? html` aria-describedby="${ids}"` : '';
}

export const errorText = (name: string, errors: FieldErrors) =>
  errors[name] ? html`<p class="error" id="${name}-error">${errors[name]}</p>` : '';

export const hintText = (name: string, hint: Part) =>
  hint ? html`<p class="hint" id="${name}-hint">${hint}</p>` : '';

export const invalid = (name: string, errors: FieldErrors) =>
  errors[name] ? html` aria-invalid="true"` : '';
