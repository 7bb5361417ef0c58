import { createHash } from 'node:crypto';
import { canonicalLanguage } from '@hardfix/contracts';
import { ADAPTERS } from '@hardfix/languages';
import { parameterise } from './parameterise.js';
import type { SignatureInput } from './signature-input.js';
import { DECISIVE_V2, errorSignatureV1, errorSignatureV2 } from './signature-legacy.js';

export type { SignatureInput } from './signature-input.js';
export * from './signature-legacy.js';

/**
 * Bumped whenever normalisation changes. Stored with each fix; lookups also compute the signatures of
 * the older versions (see `signaturesFor`), so a fix saved under an older algorithm is still found, and
 * a fix that stored its error message is re-keyed once (FixLibrary.migrateSignatures).
 */
export const SIGNATURE_VERSION = 3;

/**
 * Phrases whose quoted or bare identifier decides the fix: version 2's (the missing name, module,
 * symbol, attribute or member), plus each adapter's signature.decisive (java: the receiver's type and
 * an NPE's member). They survive parameterisation untouched.
 */
const DECISIVE: RegExp[] = [...DECISIVE_V2, ...ADAPTERS.flatMap((a) => a.signature.decisive)];

// Text that depends on the program's other names, not on the mistake (python's "Did you mean" hints).
const NOISE: RegExp[] = ADAPTERS.flatMap((a) => a.signature.noise);
const JAVAC_ERROR_LINE = /^(?:.*\.java:\d+: )?error: (.*)$/;
const JAVAC_SUMMARY = /^\d+ errors?$/;

/**
 * Reduces an error message to what decides its fix, so the same mistake in two projects gets the same
 * signature and two different mistakes do not: the first line (for javac, the first `error:` line,
 * never the `<n> errors` summary, plus its `symbol:` line and the receiver's type), without Python's
 * "Did you mean" hints, with a member call's receiver expression replaced by `<expr>` (the receiver's
 * name is the program's, the missing member is the mistake), then parameterised (see parameterise).
 */
export function normaliseErrorMessage(message: string, type = ''): string {
  const lines = message
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  const javac = lines.find((l) => JAVAC_ERROR_LINE.test(l));
  const first = javac ?? lines.find((l) => !JAVAC_SUMMARY.test(l)) ?? lines[0] ?? '';
  let text = javac ? (JAVAC_ERROR_LINE.exec(javac)?.[1] ?? javac) : first;
  const symbol = lines.find((l) => /^symbol:/.test(l));
  if (symbol && symbol !== first) text = `${text}: ${symbol.replace(/^symbol:\s*/, '')}`;
  const receiver = lines.map((l) => /^location: +variable +\S+ +of type +(.+)$/.exec(l)?.[1]).find(Boolean);
  if (receiver) text = `${text} (receiver ${receiver})`;
  // Node and python often repeat the type as a prefix; the type is hashed separately.
  if (type && text.startsWith(`${type}: `)) text = text.slice(type.length + 2);
  text = text
    .replace(/^error: /, '')
    .replace(/^cannot find symbol: (?!symbol:)/, 'cannot find symbol symbol: ');
  text = NOISE.reduce((t, noise) => t.replace(noise, ''), text)
    .replace(
      /(?:\([^()]*\)|[\w$.[\]]+)\.([\w$]+) is not a (function|constructor|function or its return value is not iterable)\b/g,
      '<expr>.$1 is not a $2',
    )
    .replace(/ because "[^"]*" is null/g, ' because <expr> is null')
    .replace(/ because the return value of "[^"]*" is null/g, ' because <expr> is null');
  return parameterise(text, DECISIVE);
}

const ASSERTION_TYPES = /^(?:AssertionError|AssertionFailedError|ComparisonFailure|TestFailure|AssertError)$/;
const GENERIC_TYPES = /^(?:RuntimeError|VerificationFailed|Error|Exception)$/;

/**
 * Whether the error names the mistake by itself. An assertion failure, an NPE naming no member, javac's
 * bare summary or a generic error without a message says only that something went wrong; two unrelated
 * programs would share its signature, so such a signature needs the failure's scope to be reusable.
 */
export function isSpecificError({ type, message }: SignatureInput): boolean {
  const t = type.trim();
  if (ASSERTION_TYPES.test(t)) return false;
  const text = normaliseErrorMessage(message, t);
  if (t === 'NullPointerException') return /^Cannot (?:invoke|read field|assign field) "/.test(text);
  if (JAVAC_SUMMARY.test(message.trim()) || text === '' || text === t) return false;
  if (GENERIC_TYPES.test(t) && /^(?:Python error|Node error|the project did not verify)$/.test(text))
    return false;
  return true;
}

/** Whether a fix for this error may be stored in or taken from the library. */
export function isReusableError(input: SignatureInput): boolean {
  return isSpecificError(input) || !!input.scope;
}

/** MD5 over the normalised error: a stable key for the proven-fix library (not a security hash). */
export function errorSignature(input: SignatureInput): string {
  const { language, type, message } = input;
  const lang = canonicalLanguage(language) ?? language;
  const scope = isSpecificError(input) ? '' : `|scope:${input.scope?.trim() ?? ''}`;
  const normalised = `${SIGNATURE_VERSION}|${lang}|${type.trim()}|${normaliseErrorMessage(message, type.trim())}${scope}`;
  return createHash('md5').update(normalised).digest('hex');
}

export interface VersionedSignature {
  version: number;
  signature: string;
}

/**
 * The error's signature under every algorithm still in the library, newest first. An unspecific error
 * gets only the current one: the older algorithms gave every assertion one signature, so a fix stored
 * under them would be offered to unrelated programs.
 */
export function signaturesFor(input: SignatureInput): VersionedSignature[] {
  const lang = canonicalLanguage(input.language) ?? input.language;
  const out: VersionedSignature[] = [{ version: SIGNATURE_VERSION, signature: errorSignature(input) }];
  if (!isSpecificError(input)) return out;
  for (const [version, signature] of [
    [2, errorSignatureV2(input)],
    [1, errorSignatureV1({ ...input, language: lang })],
  ] as const) {
    if (!out.some((s) => s.signature === signature)) out.push({ version, signature });
  }
  return out;
}
