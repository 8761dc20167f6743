/**
 * Reads the HTTP requests written in a Markdown document (fenced ```http blocks, the format of
 * the REST clients of VS Code and IntelliJ) so a test can run a walkthrough exactly as written.
 *
 * A block's info string carries what to check and what to keep:
 *   ```http expect=201 save=leaderId=id save=token=data.createLeader.id
 * `{{name}}` anywhere in the block is replaced by a saved value before the request is sent.
 */
export interface HttpBlock {
  readonly line: number;
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string | undefined;
  readonly expect: number;
  readonly save: readonly { readonly name: string; readonly path: string }[];
}

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
    blocks.push({ line, method: method!, url: url!, headers, body, expect, save });
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
