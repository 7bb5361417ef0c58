/**
 * The parameterisation shared by signature versions 2 and up: file paths, URLs, line/column numbers,
 * addresses, UUIDs, numbers and quoted literal values become placeholders, while the parts matched by
 * `decisive` (the missing name, module, symbol, attribute) are kept as they are. Changing it changes
 * every signature version that uses it: a change here needs a new SIGNATURE_VERSION and a frozen copy.
 */
export function parameterise(input: string, decisive: readonly RegExp[]): string {
  let text = input;
  const kept: string[] = [];
  const protect = (s: string) => {
    kept.push(s.replace(/\s+/g, ' ').replace(/'(\.{1,2}\/[^']*)'/g, "'<path>'"));
    return `\uE000${letters(kept.length - 1)}\uE001`;
  };
  for (const pattern of decisive) text = text.replace(pattern, protect);

  text = text
    .replace(/\b[a-z][\w+.-]*:\/\/[^\s'"]+/gi, '<url>')
    .replace(/(?:[A-Za-z]:)?(?:[\w.@-]*[/\\])+[\w.@-]+/g, '<path>')
    .replace(/\b[\w-]+\.(?:py|js|mjs|cjs|ts|java|class|jar)\b/g, '<path>')
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>')
    .replace(/\b0x[0-9a-fA-F]+\b/g, '<addr>')
    .replace(/(["'`])((?:\\.|(?!\1).)*)\1/g, (whole, _q: string, inner: string) =>
      KEEP_QUOTED.test(inner) ? whole : '<str>',
    )
    .replace(/\bline \d+/gi, 'line <n>')
    .replace(/:\d+(?::\d+)?\b/g, ':<n>')
    .replace(/-?\b\d+(?:\.\d+)?(?:e[+-]?\d+)?\b/gi, '<n>')
    .replace(/\s+/g, ' ')
    .trim();
  return text.replace(/\uE000([a-z]+)\uE001/g, (_m, i: string) => kept[fromLetters(i)] ?? '');
}

/** Identifiers and short punctuation tokens in quotes are kept: 'int', 'str', '}'. Values are not. */
const KEEP_QUOTED = /^(?:[A-Za-z_$][\w$.]{0,63}|[^\w\s]{1,3})$/;

// Placeholders are spelled in letters, which the number and path rules leave alone.
const letters = (n: number): string =>
  (n < 26 ? '' : letters(Math.floor(n / 26) - 1)) + String.fromCharCode(97 + (n % 26));
const fromLetters = (s: string): number => [...s].reduce((acc, c) => acc * 26 + c.charCodeAt(0) - 96, 0) - 1;
