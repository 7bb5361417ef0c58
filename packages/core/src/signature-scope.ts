import type { Failure } from '@hardfix/contracts';
import { ADAPTERS } from '@hardfix/languages';
import type { SignatureInput } from './signature-input.js';

// A test or function header (each adapter's signature.scopeHeaders): python def, JS function / method /
// test('name'), Java method.
const HEADERS: RegExp[] = ADAPTERS.flatMap((a) => a.signature.scopeHeaders);

/**
 * Where a failure happened, as far as its code block shows it: the nearest enclosing test or function
 * header and the failing line itself, whitespace-trimmed. Undefined without a block.
 */
export function failureScope(failure: Pick<Failure, 'line' | 'block'>): string | undefined {
  const { block, line } = failure;
  if (!block || line === undefined) return undefined;
  const lines = block.code.split('\n');
  const at = line - block.startLine;
  const failing = lines[at]?.trim();
  if (failing === undefined) return undefined;
  for (let i = at; i >= 0; i--) {
    for (const header of HEADERS) {
      const m = header.exec(lines[i] ?? '');
      const name = m?.[2] ?? m?.[1];
      if (name) return `${name}|${failing}`;
    }
  }
  return failing;
}

/** The signature input of a failure: its type and message, and its scope (see SignatureInput.scope). */
export function signatureInputOf(
  language: string,
  failure: Pick<Failure, 'type' | 'message' | 'line' | 'block'>,
): SignatureInput {
  return { language, type: failure.type, message: failure.message, scope: failureScope(failure) };
}
