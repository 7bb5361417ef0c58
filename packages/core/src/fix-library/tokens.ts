import type { Language } from '@hardfix/contracts';
import { adapterOf } from '@hardfix/languages';

export type TokenKind = 'id' | 'num' | 'str' | 'punct';

export interface Token {
  kind: TokenKind;
  text: string;
  /** Offsets into the source, end exclusive. */
  start: number;
  end: number;
}

/** Tokens per call at most: a pattern is learnt and applied on source of bounded size only. */
export const MAX_TOKENS = 200_000;

const ID = /[A-Za-z_$][\w$]*/y;
const NUM = /\d[\w.]*/y;

/**
 * A small lexer for Python, JavaScript and Java, enough to compare code token by token: identifiers,
 * numbers, string literals (one token each) and single punctuation characters; whitespace and comments
 * are skipped. Returns undefined past MAX_TOKENS.
 */
export function tokenize(source: string, language: Language): Token[] | undefined {
  const out: Token[] = [];
  const hashComments = adapterOf(language).editPatterns.comments === 'hash';
  let i = 0;
  while (i < source.length) {
    if (out.length > MAX_TOKENS) return undefined;
    const c = source[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (hashComments && c === '#') {
      i = lineEnd(source, i);
      continue;
    }
    if (!hashComments && c === '/' && source[i + 1] === '/') {
      i = lineEnd(source, i);
      continue;
    }
    if (!hashComments && c === '/' && source[i + 1] === '*') {
      const close = source.indexOf('*/', i + 2);
      i = close < 0 ? source.length : close + 2;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      const end = stringEnd(source, i, language);
      out.push({ kind: 'str', text: source.slice(i, end), start: i, end });
      i = end;
      continue;
    }
    const word = match(ID, source, i) ?? undefined;
    if (word) {
      out.push({ kind: 'id', text: word, start: i, end: i + word.length });
      i += word.length;
      continue;
    }
    const num = match(NUM, source, i);
    if (num) {
      out.push({ kind: 'num', text: num, start: i, end: i + num.length });
      i += num.length;
      continue;
    }
    out.push({ kind: 'punct', text: c, start: i, end: i + 1 });
    i++;
  }
  return out;
}

function match(re: RegExp, source: string, at: number): string | undefined {
  re.lastIndex = at;
  return re.exec(source)?.[0];
}

function lineEnd(source: string, from: number): number {
  const nl = source.indexOf('\n', from);
  return nl < 0 ? source.length : nl;
}

/** The offset after a string literal starting at `start` (an unterminated one ends at its line's end). */
function stringEnd(source: string, start: number, language: Language): number {
  const quote = source[start] as string;
  if (adapterOf(language).editPatterns.tripleQuotedStrings && source.startsWith(quote.repeat(3), start)) {
    const close = source.indexOf(quote.repeat(3), start + 3);
    return close < 0 ? source.length : close + 3;
  }
  for (let i = start + 1; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === quote) return i + 1;
    if (c === '\n' && quote !== '`') return i;
  }
  return source.length;
}
