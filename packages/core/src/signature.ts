import { createHash } from 'node:crypto';
import { canonicalLanguage } from '@hardfix/contracts';

/**
 * Bumped whenever normalisation changes. Stored with each fix; lookups also compute the signatures of
 * the older versions (see `signaturesFor`), so a fix saved under an older algorithm is still found.
 */
export const SIGNATURE_VERSION = 2;

export interface SignatureInput {
  language: string;
  type: string;
  message: string;
}

/**
 * Phrases whose quoted or bare identifier decides the fix: the missing name, module, symbol or
 * attribute. They survive parameterisation untouched (Sentry keeps such "grouping-relevant" parts too).
 */
const DECISIVE: RegExp[] = [
  /name '[\w.]+' is not defined/g, // python NameError
  /No module named '[\w.]+'/g, // python ModuleNotFoundError
  /cannot import name '[\w.]+' from '[\w.]+'/g,
  /'[\w.]+' object has no attribute '\w+'/g,
  /module '[\w.]+' has no attribute '\w+'/g,
  /\b[\w$.]+ is not defined\b/g, // node ReferenceError
  /\b[\w$.]+ is not a (?:function|constructor)\b/g,
  /Cannot find module '[@\w/.-]+'/g, // a relative module becomes <path> below, a package stays
  /reading '[\w$]+'/g, // node: Cannot read properties of undefined (reading 'map')
  /symbol: +(?:variable|method|class|package) +[\w.]+(?:\([^)]*\))?/g, // javac cannot find symbol
  /package [\w.]+ does not exist/g,
  /class [\w$.]+ not found/gi,
];

/** Identifiers and short punctuation tokens in quotes are kept: 'int', 'str', '}'. Values are not. */
const KEEP_QUOTED = /^(?:[A-Za-z_$][\w$.]{0,63}|[^\w\s]{1,3})$/;

/**
 * Reduces an error message to what decides its fix, so the same mistake in two projects gets the same
 * signature: file paths, URLs, line/column numbers, addresses, UUIDs, numbers and quoted literal values
 * become placeholders; the error type and the decisive identifiers (DECISIVE) are kept. Only the first
 * line is used, plus javac's `symbol:` line, which names what is missing.
 */
export function normaliseErrorMessage(message: string, type = ''): string {
  const lines = message.split('\n').map((l) => l.trim());
  const first = lines.find((l) => l.length > 0) ?? '';
  const symbol = lines.find((l) => /^symbol:/.test(l));
  let text = symbol && symbol !== first ? `${first} ${symbol}` : first;
  // Node and python often repeat the type as a prefix; the type is hashed separately.
  if (type && text.startsWith(`${type}: `)) text = text.slice(type.length + 2);
  text = text.replace(/^error: /, '');

  const kept: string[] = [];
  const protect = (s: string) => {
    kept.push(s.replace(/\s+/g, ' ').replace(/'(\.{1,2}\/[^']*)'/g, "'<path>'"));
    return `\uE000${letters(kept.length - 1)}\uE001`;
  };
  for (const pattern of DECISIVE) text = text.replace(pattern, protect);

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

// Placeholders are spelled in letters, which the number and path rules leave alone.
const letters = (n: number): string =>
  (n < 26 ? '' : letters(Math.floor(n / 26) - 1)) + String.fromCharCode(97 + (n % 26));
const fromLetters = (s: string): number => [...s].reduce((acc, c) => acc * 26 + c.charCodeAt(0) - 96, 0) - 1;

/** MD5 over the normalised error: a stable key for the proven-fix library (not a security hash). */
export function errorSignature({ language, type, message }: SignatureInput): string {
  const lang = canonicalLanguage(language) ?? language;
  const normalised = `${SIGNATURE_VERSION}|${lang}|${type.trim()}|${normaliseErrorMessage(message, type.trim())}`;
  return createHash('md5').update(normalised).digest('hex');
}

/**
 * Version 1, frozen: fixes saved before version 2 are keyed by it. Do not change this function;
 * a new algorithm gets a new version and joins `signaturesFor`.
 */
export function normaliseErrorMessageV1(message: string): string {
  return (
    message
      .split('\n')[0]
      ?.trim()
      .replace(/(?:[A-Za-z]:)?(?:[\w.-]*[/\\])+[\w.-]+\.\w+/g, '<path>')
      .replace(/\b[\w-]+\.(?:py|js|mjs|cjs|ts|java|class|jar)\b/g, '<path>')
      .replace(/\b0x[0-9a-fA-F]+\b/g, '<addr>')
      .replace(/\bline \d+/gi, 'line <n>')
      .replace(/:\d+(?::\d+)?\b/g, ':<n>')
      .replace(/\b\d+(?:\.\d+)?\b/g, '<n>')
      .replace(/\s+/g, ' ') ?? ''
  );
}

export function errorSignatureV1({ language, type, message }: SignatureInput): string {
  return createHash('md5')
    .update(`1|${language}|${type}|${normaliseErrorMessageV1(message)}`)
    .digest('hex');
}

export interface VersionedSignature {
  version: number;
  signature: string;
}

/** The error's signature under every algorithm still in the library, newest first. */
export function signaturesFor(input: SignatureInput): VersionedSignature[] {
  const lang = canonicalLanguage(input.language) ?? input.language;
  const v2 = errorSignature(input);
  const v1 = errorSignatureV1({ ...input, language: lang });
  return v1 === v2
    ? [{ version: 2, signature: v2 }]
    : [
        { version: 2, signature: v2 },
        { version: 1, signature: v1 },
      ];
}
