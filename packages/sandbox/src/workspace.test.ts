import { filePathProblem } from '@hardfix/contracts';
import { describe, expect, it } from 'vitest';
import { assertProjectPaths } from './workspace.js';

/** Names near every edge of the rule: what the API accepts, the sandbox must accept, and the reverse. */
const PATHS = [
  'main.py',
  'lib/util.py',
  '..config.py',
  '.x',
  '..x/y.py',
  'a..b',
  '.gitignore',
  '.github/workflows/ci.yml',
  '...',
  '....',
  'a/.../b',
  '..',
  '.',
  'a/../b',
  '/etc/passwd',
  'a//b',
  'a/',
  'C:x',
  'a\\b',
  'nul\0byte',
  '.git/config',
  '.GIT/config',
  'git~1/config',
  'x/.vscode/tasks.json',
  '.envrc',
  'é/ü.py',
  'a'.repeat(257),
];

describe('one path rule for the API and the sandbox', () => {
  it('assertProjectPaths accepts exactly the paths filePathSchema accepts', () => {
    for (const path of PATHS) {
      const apiAccepts = filePathProblem(path) === undefined;
      let sandboxAccepts = true;
      try {
        assertProjectPaths([path]);
      } catch {
        sandboxAccepts = false;
      }
      expect(sandboxAccepts, JSON.stringify(path)).toBe(apiAccepts);
    }
  });
});
