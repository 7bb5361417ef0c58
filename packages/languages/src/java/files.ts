/** Where a java project starts, and which of its files are tests (`*Test.java`, each with a main). */
export const ENTRIES = ['Main.java'] as const;
export const SOURCE = /\.java$/;
export const TEST_FILE = /(^|\/)[^/]*Test\.java$/;
export const TEST_NAMING =
  '<Name>Test.java with a public static void main that checks each behaviour and ends with System.exit(1) when any check fails';

export function isTestFile(path: string): boolean {
  return TEST_FILE.test(path);
}
