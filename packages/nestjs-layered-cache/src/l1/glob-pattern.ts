/**
 * Redis glob patterns (SCAN MATCH, KEYS): `*`, `?`, `[abc]`, `[^a-z]`, `\x`. L2 asks Redis to match
 * them; L1 and the warming registry match the same patterns here, so both tiers agree on which
 * keys a pattern names, byte for byte (Redis compares UTF-8 bytes, so we do too).
 *
 * Matching never backtracks more than to the last `*` seen: O(key × pattern) in the worst case,
 * linear in the key for a given pattern, whatever the pattern (a regex built from a glob backtracks
 * exponentially on `*a*a*a*a*b`).
 */

type ClassItem = { from: number; to: number };
type Token =
  | { kind: 'star' }
  | { kind: 'any' }
  | { kind: 'byte'; code: number }
  | { kind: 'class'; negate: boolean; items: ClassItem[] };

export type GlobMatcher = (key: string) => boolean;

/** Why a pattern is refused by `checkGlob`, with where in the pattern. */
export interface GlobProblem {
  message: string;
}

/** Keys and patterns as Redis sees them: one character per UTF-8 byte. */
function bytesOf(text: string): string {
  // eslint-disable-next-line no-control-regex
  return /^[\u0000-\u007f]*$/.test(text) ? text : Buffer.from(text, 'utf8').toString('latin1');
}

/**
 * Parses as Redis's `stringmatchlen` reads a pattern (including its leniencies: a reversed range
 * is swapped, an unclosed `[` runs to the end, a trailing `\` is literal). `problems` collects
 * what `checkGlob` refuses.
 */
function parse(pattern: string, problems?: string[]): Token[] {
  const p = bytesOf(pattern);
  const tokens: Token[] = [];
  let i = 0;
  while (i < p.length) {
    const c = p[i]!;
    if (c === '*') {
      if (tokens.at(-1)?.kind !== 'star') tokens.push({ kind: 'star' });
      i++;
    } else if (c === '?') {
      tokens.push({ kind: 'any' });
      i++;
    } else if (c === '[') {
      const start = i;
      i++;
      const negate = p[i] === '^';
      if (negate) i++;
      const items: ClassItem[] = [];
      let closed = false;
      while (i < p.length) {
        if (p[i] === '\\' && i + 1 < p.length) {
          const code = signed(p.charCodeAt(i + 1));
          items.push({ from: code, to: code });
          i += 2;
        } else if (p[i] === ']') {
          closed = true;
          i++;
          break;
        } else if (i + 2 < p.length && p[i + 1] === '-') {
          const a = signed(p.charCodeAt(i));
          const b = signed(p.charCodeAt(i + 2));
          if (a > b) problems?.push(`range "${p[i]}-${p[i + 2]}" at ${i} is reversed (write "${p[i + 2]}-${p[i]}")`);
          items.push({ from: Math.min(a, b), to: Math.max(a, b) });
          i += 3;
        } else {
          const code = signed(p.charCodeAt(i));
          items.push({ from: code, to: code });
          i++;
        }
      }
      if (!closed) problems?.push(`"[" at ${start} is never closed by "]" (write "\\[" for a literal bracket)`);
      else if (items.length === 0) problems?.push(`"[]" at ${start} is an empty class: it matches nothing`);
      tokens.push({ kind: 'class', negate, items });
    } else if (c === '\\') {
      if (i + 1 >= p.length) problems?.push(`the pattern ends with a lone "\\" (write "\\\\" for a backslash)`);
      const code = p.charCodeAt(Math.min(i + 1, p.length - 1));
      tokens.push({ kind: 'byte', code });
      i += 2;
    } else {
      tokens.push({ kind: 'byte', code: p.charCodeAt(i) });
      i++;
    }
  }
  return tokens;
}

/**
 * Redis compares class bytes as C `char`, signed on the platforms it runs on: in a range, bytes
 * 0x80–0xFF sort below ASCII (`[é-a]` does not contain "b"). Class items are kept that way.
 */
function signed(code: number): number {
  return code >= 0x80 ? code - 0x100 : code;
}

function matchesOne(token: Token, code: number): boolean {
  switch (token.kind) {
    case 'any':
      return true;
    case 'byte':
      return token.code === code;
    case 'class':
      return token.items.some((r) => signed(code) >= r.from && signed(code) <= r.to) !== token.negate;
    default:
      return false;
  }
}

/**
 * A matcher for `pattern` with Redis semantics. Every pattern compiles (as in Redis); use
 * `checkGlob` first to refuse the ones a person most likely got wrong.
 */
export function globMatcher(pattern: string): GlobMatcher {
  const tokens = parse(pattern);
  return (key) => matchTokens(tokens, bytesOf(key));
}

/**
 * The classic wildcard walk: on a mismatch, retry from the last `*` with one more byte swallowed
 * by it. Everything but `*` matches exactly one byte, so going back to the last star only (not to
 * earlier ones) is enough, and each (key position, pattern position) pair is visited at most once
 * per star restart: O(key × pattern), no exponential backtracking.
 */
function matchTokens(tokens: Token[], s: string): boolean {
  let t = 0;
  let k = 0;
  let starT = -1;
  let starK = 0;
  while (k < s.length) {
    const token = tokens[t];
    if (token !== undefined && token.kind !== 'star' && matchesOne(token, s.charCodeAt(k))) {
      t++;
      k++;
    } else if (token?.kind === 'star') {
      starT = t++;
      starK = k;
    } else if (starT !== -1) {
      t = starT + 1;
      k = ++starK;
    } else {
      return false;
    }
  }
  while (tokens[t]?.kind === 'star') t++;
  return t === tokens.length;
}

/**
 * Problems that make a pattern most likely not what its author meant (Redis would accept it
 * silently): an unclosed `[`, an empty `[]`, a reversed range, a trailing `\`. Empty when fine.
 */
export function checkGlob(pattern: string): string[] {
  const problems: string[] = [];
  parse(pattern, problems);
  return problems;
}

/**
 * The literal text every matching key starts with (up to the first `*`, `?` or `[`, escapes
 * resolved). A pattern whose literal prefix is empty can match every key of its namespace.
 */
export function globLiteralPrefix(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' || c === '?' || c === '[') break;
    if (c === '\\' && i + 1 < pattern.length) out += pattern[++i];
    else out += c;
  }
  return out;
}

/** `text` as a pattern that matches exactly it. */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
