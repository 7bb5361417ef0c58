/** Where a python project starts, and which of its files are tests (unittest: `test_*.py` / `*_test.py`). */
export const ENTRIES = ['main.py'] as const;
export const SOURCE = /\.py$/;
export const TEST_FILE = /(^|\/)(test_[^/]*|[^/]*_test)\.py$/;
export const TEST_NAMING = 'test_<module>.py with unittest (a unittest.TestCase per behaviour)';

export function isTestFile(path: string): boolean {
  return TEST_FILE.test(path);
}
