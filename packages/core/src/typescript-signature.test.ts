import { adapterOf } from '@hardfix/languages';
import { describe, expect, it } from 'vitest';
import { errorSignature, isSpecificError } from './signature.js';

/** A tsc line as the typescript adapter reads it, then signed as the library keys it. */
function signed(tscLine: string): string {
  const files = [{ path: 'main.ts', content: '' }];
  const parsed = adapterOf('typescript').errors.parse(tscLine, { files, roots: ['/sandbox'] });
  if (!parsed) throw new Error(`not parsed: ${tscLine}`);
  return errorSignature({ language: 'typescript', type: parsed.type, message: parsed.message });
}

describe('typescript signatures', () => {
  it('one mistake, one signature: with or without the suggestion the program happened to offer', () => {
    const a = signed(
      "main.ts(3,20): error TS2551: Property 'lenght' does not exist on type 'string'. Did you mean 'length'?",
    );
    const b = signed("main.ts(9,4): error TS2339: Property 'lenght' does not exist on type 'string'.");
    expect(a).toBe(b);
    const c = signed("main.ts(1,1): error TS2552: Cannot find name 'createHas'. Did you mean 'createHash'?");
    expect(c).toBe(signed("main.ts(7,7): error TS2304: Cannot find name 'createHas'."));
  });

  it('the missing member or name decides: another one is another signature', () => {
    expect(
      signed("main.ts(3,20): error TS2339: Property 'contains' does not exist on type 'string'."),
    ).not.toBe(signed("main.ts(3,20): error TS2339: Property 'append' does not exist on type 'string'."));
    expect(signed("main.ts(1,1): error TS2304: Cannot find name 'createHash'.")).not.toBe(
      signed("main.ts(1,1): error TS2304: Cannot find name 'readFileSync'."),
    );
  });

  it("a relative module path is the program's own, and a type error names the mistake by itself", () => {
    expect(
      signed(
        "main.ts(1,19): error TS2307: Cannot find module './util.js' or its corresponding type declarations.",
      ),
    ).toBe(
      signed(
        "main.ts(2,19): error TS2307: Cannot find module './lib/strings.js' or its corresponding type declarations.",
      ),
    );
    expect(
      isSpecificError({
        language: 'typescript',
        type: 'TS2322',
        message: "Type 'string' is not assignable to type 'number'.",
      }),
    ).toBe(true);
  });
});
