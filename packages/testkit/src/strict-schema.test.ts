import { describe, expect, it } from 'vitest';
import { strictSchemaProblem } from './strict-schema.js';

const object = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: 'object',
  additionalProperties: false,
  properties,
  ...extra,
});

describe('the strict tool schema subset', () => {
  it('accepts what the SDK keeps: refs, defs, anyOf, enums, formats, minItems 0 or 1', () => {
    const schema = object(
      {
        files: { type: 'array', minItems: 1, items: { $ref: '#/$defs/file' } },
        when: { type: 'string', format: 'date-time' },
        kind: { enum: ['a', 'b', null] },
        note: { anyOf: [{ type: 'string' }, { type: 'null' }] },
      },
      {
        required: ['files'],
        $defs: { file: object({ path: { type: 'string', description: 'Relative.' } }) },
      },
    );

    expect(strictSchemaProblem(schema)).toBeUndefined();
  });

  it('names the first keyword strict mode refuses and where it is', () => {
    expect(strictSchemaProblem(object({ n: { type: 'integer', minimum: 0 } }))).toBe(
      '"minimum" at /properties/n',
    );
    expect(strictSchemaProblem(object({}, { $defs: { d: { type: 'object', properties: {} } } }))).toBe(
      'an object without "additionalProperties": false at /$defs/d',
    );
    expect(strictSchemaProblem(object({ u: { anyOf: [{ type: 'string', pattern: '^a' }] } }))).toBe(
      '"pattern" at /properties/u/anyOf/0',
    );
    expect(strictSchemaProblem(object({ v: { oneOf: [{ type: 'string' }] } }))).toBe(
      '"oneOf" at /properties/v',
    );
    expect(strictSchemaProblem(object({ t: { type: ['string', 'null'] } }))).toBe(
      'a list of types at /properties/t (use anyOf)',
    );
    expect(strictSchemaProblem(object({ f: { type: 'string', format: 'regex' } }))).toBe(
      'format "regex" at /properties/f',
    );
    expect(
      strictSchemaProblem({ ...object({}), $schema: 'https://json-schema.org/draft/2020-12/schema' }),
    ).toBe('"$schema" at /');
  });
});
