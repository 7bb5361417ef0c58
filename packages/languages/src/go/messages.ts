/**
 * Go's wording of the same mistake differs between toolchain versions: go 1.19 says
 * `imported and not used: "os"` and `x declared but not used`, go 1.20+ `"os" imported and not used`
 * and `declared and not used: x`. The message is written one way (the newer), so a fix learnt on one
 * toolchain is found on another. A missing method's receiver is the program's own name, not the mistake.
 */
const REWRITES: [RegExp, string][] = [
  [/^imported (?:and|but) not used: ("[^"]+")(?: as (\w+))?$/, '$1 imported and not used'],
  [/^("[^"]+") imported(?: as \w+)? (?:and|but) not used$/, '$1 imported and not used'],
  [/^(\w+) declared (?:and|but) not used$/, 'declared and not used: $1'],
  [/^undeclared name: (\w+)$/, 'undefined: $1'],
  // `sb.WriteStrings undefined (type strings.Builder has no field or method WriteStrings, but does have WriteString)`
  [
    /^[\w.[\]()*]+\.(\w+) undefined \(type ([^ ]+) has no field or method (\w+)(?:, but does have (?:method )?(\w+))?\)$/,
    '<expr>.$1 undefined (type $2 has no field or method $3)',
  ],
];

export function canonicalMessage(message: string): string {
  const text = message.trim();
  for (const [re, to] of REWRITES) if (re.test(text)) return text.replace(re, to);
  return text;
}
