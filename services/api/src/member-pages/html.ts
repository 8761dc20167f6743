/**
 * HTML templates that escape by default: `html\`<p>${name}</p>\`` escapes every interpolated
 * value (text and attribute values alike) unless it is itself the result of `html` (a SafeHtml),
 * so user text (a network's name, a member's comment) can never become markup. Attribute values
 * are always written in double quotes in the templates, which the escaping covers.
 *
 * Why not @kitajs/html's JSX: it escapes attributes, but a child string is inserted as is unless
 * the element carries `safe` (its README: "Always use the safe attribute … when rendering user
 * input"). One forgotten `safe` is an XSS; here forgetting is impossible.
 */

/** Markup that is already safe: built by `html`, or a constant the code wrote itself. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** What a template may interpolate: nothing, text, numbers, safe markup, or lists of these. */
export type Part = SafeHtml | string | number | null | undefined | false | readonly Part[];

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** The text with `& < > " '` written as entities. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

function render(part: Part): string {
  if (part === null || part === undefined || part === false) return '';
  if (part instanceof SafeHtml) return part.value;
  if (Array.isArray(part)) return part.map(render).join('');
  return escapeHtml(String(part));
}

/** A template whose interpolations are escaped (SafeHtml and lists of it pass through). */
export function html(strings: TemplateStringsArray, ...values: readonly Part[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new SafeHtml(out);
}
