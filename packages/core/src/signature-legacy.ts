import { createHash } from 'node:crypto';
import { canonicalLanguage } from '@hardfix/contracts';
import { parameterise } from './parameterise.js';
import type { SignatureInput } from './signature-input.js';

// Frozen algorithms: fixes saved under them are keyed by their output. Never change these functions;
// a new algorithm gets a new version in signature.ts and the old ones stay here for lookups.

/**
 * Phrases whose quoted or bare identifier decides the fix: the missing name, module, symbol or
 * attribute. They survive parameterisation untouched (Sentry keeps such "grouping-relevant" parts too).
 */
export const DECISIVE_V2: readonly RegExp[] = [
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

/**
 * Reduces an error message to what decides its fix, so the same mistake in two projects gets the same
 * signature: file paths, URLs, line/column numbers, addresses, UUIDs, numbers and quoted literal values
 * become placeholders; the error type and the decisive identifiers (DECISIVE_V2) are kept. Only the first
 * line is used, plus javac's `symbol:` line, which names what is missing.
 */
export function normaliseErrorMessageV2(message: string, type = ''): string {
  const lines = message.split('\n').map((l) => l.trim());
  const first = lines.find((l) => l.length > 0) ?? '';
  const symbol = lines.find((l) => /^symbol:/.test(l));
  let text = symbol && symbol !== first ? `${first} ${symbol}` : first;
  // Node and python often repeat the type as a prefix; the type is hashed separately.
  if (type && text.startsWith(`${type}: `)) text = text.slice(type.length + 2);
  text = text.replace(/^error: /, '');

  return parameterise(text, DECISIVE_V2);
}

export function errorSignatureV2({ language, type, message }: SignatureInput): string {
  const lang = canonicalLanguage(language) ?? language;
  const normalised = `2|${lang}|${type.trim()}|${normaliseErrorMessageV2(message, type.trim())}`;
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
