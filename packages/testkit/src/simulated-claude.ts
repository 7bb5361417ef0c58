import { TOOL_NAMES } from '@hardfix/contracts';
import type { FakeReply, FakeRequest } from './fake-anthropic-types.js';

/*
 * The "simulated Claude" behind `pnpm demo` and tests that do not script answers. It is deliberately dumb:
 * it writes a hello-world in the requested language, always gives the same analysis, and hands a hard-fix
 * block back unchanged (so a broken block stays broken; repair scenarios are scripted in tests).
 *
 * It relies on the user-message format the @hardfix/llm prompts produce:
 *   Project: <name>
 *   Language: <python|javascript|java>
 *   ...
 *   ## Request            (generation / smart retry / analysis: the request text follows, up to the next "## ")
 *   <block>               (hard fix: the block, one "<line number> | <code>" line per source line)
 *   </block>
 */

const HEADER_LINE = (label: string) => new RegExp(`^${label}:[ \\t]*(\\S.*?)[ \\t]*$`, 'm');

export function parseProjectName(userText: string): string | undefined {
  return HEADER_LINE('Project').exec(userText)?.[1];
}

export function parseLanguage(userText: string): string | undefined {
  return HEADER_LINE('Language').exec(userText)?.[1]?.toLowerCase();
}

export function parseRequestText(userText: string): string | undefined {
  const match = /^## Request[ \t]*\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(userText);
  const text = match?.[1]?.trim();
  return text ? text : undefined;
}

/** The code of the `<block>` section with its line-number gutter removed. */
export function parseBlockCode(userText: string): string | undefined {
  const match = /^<block>\n([\s\S]*?)^<\/block>$/m.exec(userText);
  if (!match?.[1]) return undefined;
  return match[1]
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => line.replace(/^\s*\d+ \| ?/, ''))
    .join('\n');
}

/** Printable ASCII without quotes or backslashes is a safe string literal in all three languages. */
function literalSafe(text: string, max = 80): string {
  const flat = text
    .replace(/\s+/g, ' ')
    .replace(/[^ -~]|["\\`$]/g, '')
    .trim();
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
}

export function simulatedProgram(
  language: string | undefined,
  projectName: string,
  request: string,
): { path: string; content: string } {
  const message = literalSafe(`${projectName}: simulated program for: ${request}`);
  switch (language) {
    case 'javascript':
      return { path: 'index.js', content: `console.log("${message}");\n` };
    case 'typescript':
      return { path: 'main.ts', content: `const message: string = "${message}";\nconsole.log(message);\n` };
    case 'java':
      return {
        path: 'Main.java',
        content: `public class Main {\n  public static void main(String[] args) {\n    System.out.println("${message}");\n  }\n}\n`,
      };
    default:
      return {
        path: 'main.py',
        content: `def main():\n    print("${message}")\n\n\nif __name__ == "__main__":\n    main()\n`,
      };
  }
}

export function simulatedClaude(req: FakeRequest): FakeReply {
  const projectName = req.projectName ?? 'project';
  switch (req.toolName) {
    case TOOL_NAMES.writeFiles:
      return {
        tool: {
          files: [simulatedProgram(req.language, projectName, parseRequestText(req.userText) ?? projectName)],
          notes: 'Written by the simulated Claude endpoint (no real model was called).',
        },
      };
    case TOOL_NAMES.reportAnalysis:
      return {
        tool: {
          confidence: 0.9,
          diagnosis: `Simulated analysis of ${projectName}: the attempts failed on the same error in the entry file.`,
          plan: 'Rewrite the entry file as a minimal standard-library program that prints its result and exits 0.',
        },
      };
    case TOOL_NAMES.replaceBlock:
      return {
        tool: {
          code: parseBlockCode(req.userText) ?? '',
          explanation: 'Simulated Claude cannot repair code; the block is returned unchanged.',
        },
      };
    default:
      return {
        text: `Simulated Claude has no answer for ${req.toolName ?? 'a request without exactly one tool'}.`,
      };
  }
}
