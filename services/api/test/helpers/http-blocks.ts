/**
 * Reads the HTTP requests written in a Markdown document (fenced ```http blocks, the format of
 * the REST clients of VS Code and IntelliJ) so a test can run a walkthrough exactly as written.
 *
 * A block's info string carries what to check and what to keep:
 *   ```http expect=201 save=leaderId=id save=token=data.createLeader.id
 *   - `expect=<status>` the response status (default 200);
 *   - `save=<name>=<path>` keeps the value at a dotted path of the JSON body as `{{name}}`;
 *   - `check=<path>=<value>` the value at the path, as text, must be exactly `<value>` (no spaces);
 *   - `poll=<path>=<value>` re-sends the request (a read) until the value at the path is `<value>`,
 *     at most `POLL_TRIES` times `POLL_DELAY_MS` apart (background work such as a formation run).
 * `{{name}}` anywhere in the block is replaced by a saved value before the request is sent.
 *
 * GraphQL is written as the REST clients do: header `X-Request-Type: GraphQL`, the query as the
 * body, then a blank line and the variables as JSON (see `graphqlPayload`).
 */
export interface HttpBlock {
  readonly line: number;
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string | undefined;
  readonly expect: number;
  readonly save: readonly { readonly name: string; readonly path: string }[];
  readonly check: readonly { readonly path: string; readonly value: string }[];
  readonly poll: { readonly path: string; readonly value: string } | undefined;
}

/** Up to a minute: a worker thread starting on a loaded CI machine can take seconds. */
export const POLL_TRIES = 600;
export const POLL_DELAY_MS = 100;

const FENCE = /^```http(?<info>[^\n]*)\n(?<content>[\s\S]*?)^```$/gm;

/** Every ```http block of a Markdown text, in order, with `{{vars}}` left in place. */
export function httpBlocks(markdown: string): HttpBlock[] {
  const blocks: HttpBlock[] = [];
  for (const match of markdown.matchAll(FENCE)) {
    const info = match.groups!.info!.trim();
    const content = match.groups!.content!;
    const line = markdown.slice(0, match.index).split('\n').length;
    const [head, ...rest] = content.split(/\n\s*\n/);
    const [requestLine, ...headerLines] = head!.split('\n').filter((l) => l.trim() !== '');
    const [method, url] = requestLine!.trim().split(/\s+/);
    const headers: Record<string, string> = {};
    for (const h of headerLines) {
      const i = h.indexOf(':');
      headers[h.slice(0, i).trim().toLowerCase()] = h.slice(i + 1).trim();
    }
    const body = rest.join('\n\n').trim() || undefined;
    const expect = Number(/expect=(\d{3})/.exec(info)?.[1] ?? 200);
    const save = [...info.matchAll(/save=([A-Za-z_]\w*)=(\S+)/g)].map((m) => ({ name: m[1]!, path: m[2]! }));
    const check = [...info.matchAll(/check=([^=\s]+)=(\S+)/g)].map((m) => ({ path: m[1]!, value: m[2]! }));
    const p = /poll=([^=\s]+)=(\S+)/.exec(info);
    const poll = p ? { path: p[1]!, value: p[2]! } : undefined;
    blocks.push({ line, method: method!, url: url!, headers, body, expect, save, check, poll });
  }
  return blocks;
}

/** Replaces `{{name}}` with saved values; an unknown name is an error in the document. */
export function substitute(text: string, vars: Readonly<Record<string, string>>): string {
  return text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    if (!(name in vars)) throw new Error(`the walkthrough uses {{${name}}} before saving it`);
    return vars[name]!;
  });
}

/** Reads a dotted path (`data.createLeader.id`, `members[0].leaderId`) from a parsed JSON body. */
export function readPath(value: unknown, path: string): unknown {
  return path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .reduce<unknown>(
      (v, key) => (v === null || v === undefined ? undefined : (v as Record<string, unknown>)[key]),
      value,
    );
}

/** The value at a path as the walkthrough writes it (`check=` / `poll=`): text; objects as JSON. */
export function asText(value: unknown): string {
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

/**
 * A GraphQL block's body (`X-Request-Type: GraphQL`) as the JSON payload to post: the query, and
 * the variables when the last paragraph is a JSON object.
 */
export function graphqlPayload(body: string): { query: string; variables?: Record<string, unknown> } {
  const parts = body.split(/\n\s*\n/);
  const last = parts.at(-1)!.trim();
  if (parts.length > 1 && last.startsWith('{')) {
    return { query: parts.slice(0, -1).join('\n\n'), variables: JSON.parse(last) };
  }
  return { query: body };
}
