/** Small real programs for the pipeline tests: each one is run in the sandbox, never faked. */
export const BROKEN_AREA = {
  path: 'main.py',
  content: 'def area(r):\n    return PI * r * r\n\nprint(area(2))\n',
};
export const FIXED_AREA = {
  path: 'main.py',
  content: 'import math\n\ndef area(r):\n    return math.pi * r * r\n\nprint(area(2))\n',
};
/** A replacement for BROKEN_AREA's block that still fails (a different mistake each time). */
export function stillBroken(i: number): string {
  return `def area(r):\n    return PI_${i} * r * r\n\nprint(area(2))`;
}
export const FIXED_AREA_BLOCK = 'import math\n\ndef area(r):\n    return math.pi * r * r\n\nprint(area(2))';
