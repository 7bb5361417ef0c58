/*
 * The JSON Schema subset a `strict: true` tool may use. Source: the structured-outputs page's "JSON Schema
 * limitations" (https://platform.claude.com/docs/en/build-with-claude/structured-outputs#json-schema-limitations)
 * and, as its exact statement, the reduction @anthropic-ai/sdk applies before it sends a strict schema
 * (lib/transform-json-schema.js in 1.13: what it keeps is what the API takes; everything else it moves into
 * the description). The fake refuses a strict schema that still carries anything else.
 */

const STRING_FORMATS = new Set([
  'date-time',
  'time',
  'date',
  'duration',
  'email',
  'hostname',
  'uri',
  'ipv4',
  'ipv6',
  'uuid',
]);

const COMMON = new Set(['$defs', '$ref', 'enum', 'const', 'type', 'anyOf', 'allOf', 'description', 'title']);
const BY_TYPE: Record<string, Set<string>> = {
  object: new Set(['properties', 'additionalProperties', 'required']),
  string: new Set(['format']),
  array: new Set(['items', 'minItems']),
};

const isPrimitive = (v: unknown) => v === null || typeof v !== 'object';

/** The first thing strict mode does not accept in `schema`, as "<keyword> at <path>", or undefined. */
export function strictSchemaProblem(schema: unknown, path = ''): string | undefined {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema))
    return `a schema that is not an object at ${path || '/'}`;
  const s = schema as Record<string, unknown>;
  const type = typeof s.type === 'string' ? s.type : undefined;
  const allowed = (key: string) => COMMON.has(key) || (type !== undefined && BY_TYPE[type]?.has(key));
  for (const key of Object.keys(s)) if (!allowed(key)) return `"${key}" at ${path || '/'}`;
  if (Array.isArray(s.type)) return `a list of types at ${path || '/'} (use anyOf)`;
  if (s.enum !== undefined && (!Array.isArray(s.enum) || !s.enum.every(isPrimitive)))
    return `a non-primitive enum at ${path || '/'}`;
  if (s.const !== undefined && !isPrimitive(s.const)) return `a non-primitive const at ${path || '/'}`;
  if (type === 'object' && s.additionalProperties !== false)
    return `an object without "additionalProperties": false at ${path || '/'}`;
  if (type === 'string' && s.format !== undefined && !STRING_FORMATS.has(String(s.format)))
    return `format "${String(s.format)}" at ${path || '/'}`;
  if (type === 'array' && s.minItems !== undefined && s.minItems !== 0 && s.minItems !== 1)
    return `"minItems": ${JSON.stringify(s.minItems)} at ${path || '/'} (only 0 or 1)`;
  const children: [string, unknown][] = [];
  for (const [name, sub] of Object.entries((s.properties as Record<string, unknown>) ?? {}))
    children.push([`${path}/properties/${name}`, sub]);
  for (const [name, sub] of Object.entries((s.$defs as Record<string, unknown>) ?? {}))
    children.push([`${path}/$defs/${name}`, sub]);
  if (s.items !== undefined) children.push([`${path}/items`, s.items]);
  for (const key of ['anyOf', 'allOf'] as const)
    if (Array.isArray(s[key]))
      for (const [i, sub] of s[key].entries()) children.push([`${path}/${key}/${i}`, sub]);
  for (const [childPath, sub] of children) {
    const problem = strictSchemaProblem(sub, childPath);
    if (problem) return problem;
  }
  return undefined;
}
