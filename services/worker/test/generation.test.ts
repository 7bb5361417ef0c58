import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Language } from '@hardfix/contracts';
import { MANIFEST_FILE } from '@hardfix/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.js';

describe('request → one LLM call → verified → delivered', () => {
  let h: Harness;
  beforeEach(async () => {
    // The full start path, as in production: a sandbox of its own, self-tested (one suite per language).
    h = await startHarness({}, { ownSandbox: true });
  });
  afterEach(async () => {
    await h.close();
  });

  const programs: Record<Language, { path: string; content: string; prints: string }> = {
    python: {
      path: 'main.py',
      content: 'def greet(name):\n    return f"hello {name}"\n\nprint(greet("py"))\n',
      prints: 'hello py',
    },
    javascript: {
      path: 'index.js',
      content: "const greet = (n) => 'hello ' + n;\nconsole.log(greet('js'));\n",
      prints: 'hello js',
    },
    java: {
      path: 'Main.java',
      content:
        'public class Main {\n  public static void main(String[] a) {\n    System.out.println("hello java");\n  }\n}\n',
      prints: 'hello java',
    },
    go: {
      path: 'main.go',
      content: 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("hello go")\n}\n',
      prints: 'hello go',
    },
    typescript: {
      path: 'main.ts',
      content: "const greet = (n: string): string => 'hello ' + n;\nconsole.log(greet('ts'));\n",
      prints: 'hello ts',
    },
  };

  for (const language of ['python', 'javascript', 'java', 'typescript', 'go'] as const) {
    it(`delivers a ${language} project`, async () => {
      const program = programs[language];
      h.fake.enqueue('write_files', { tool: { files: [{ path: program.path, content: program.content }] } });

      const res = await h.post('/projects', {
        name: `greeter-${language}`,
        language,
        prompt: 'print a greeting',
      });
      expect(res.status).toBe(202);
      const id = res.body.id as string;

      const project = await h.waitForStatus(id, ['delivered', 'manual-review', 'abandoned']);
      expect(project.status).toBe('delivered');
      expect(h.fake.callsFor('write_files')).toHaveLength(1);
      expect(h.fake.requests).toHaveLength(1);
      expect(project.attempts).toMatchObject([{ n: 1, stage: 'generation', outcome: 'passed' }]);
      expect(project.usage.calls).toBe(1);
      expect(project.usage.inputTokens).toBeGreaterThan(0);

      const dir = join(h.deliveryDir, `greeter-${language}`);
      expect(project.delivery?.path).toBe(dir);
      expect(await readFile(join(dir, program.path), 'utf8')).toBe(program.content);
      const manifest = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8'));
      expect(manifest).toMatchObject({
        projectId: id,
        name: `greeter-${language}`,
        verification: { ok: true },
      });

      const view = await h.get(`/projects/${id}`);
      expect(view.body).toMatchObject({ id, status: 'delivered', delivery: { path: dir } });

      // The worker's timings reach the API's /metrics through Redis.
      const metrics = await (await fetch(`${h.api.url}/metrics`)).text();
      const verified = new RegExp(
        `^hardfix_verification_duration_seconds_count\\{[^}]*language="${language}"[^}]*outcome="passed"[^}]*\\} 1$`,
        'm',
      );
      expect(metrics).toMatch(verified);
      expect(metrics).toMatch(/^hardfix_llm_call_duration_seconds_count\{tool="write_files"\} 1$/m);
    });
  }
});
