import { TOOL_NAMES } from '@hardfix/contracts';
import type { FakeHandler } from './fake-anthropic-types.js';

/**
 * The oracle model: it knows each project's correct program and answers a hard-fix prompt with the
 * correct text of whatever block the prompt shows (`## Block to replace: <file> lines <a>-<b>`), so a
 * project is repaired exactly when the block holds its fault. For measuring localisation (pnpm
 * bench:localise): the model is perfect, only the block it is shown can be wrong. The correct program
 * must have the same lines as the broken one outside the fault (one-line faults, fixed in one line).
 * Other requests, and projects not registered, fall through (undefined) to the next handler.
 */
export function oracleModel(
  fixed: ReadonlyMap<string, readonly { path: string; content: string }[]>,
): FakeHandler {
  return (req) => {
    if (req.toolName !== TOOL_NAMES.replaceBlock || !req.projectName) return undefined;
    const files = fixed.get(req.projectName);
    const range = blockRangeOfPrompt(req.userText);
    if (!files || !range) return undefined;
    const file = files.find((f) => f.path === range.file);
    if (!file) return undefined;
    const lines = file.content.split('\n');
    if (lines.at(-1) === '') lines.pop();
    return {
      tool: {
        code: lines.slice(range.startLine - 1, range.endLine).join('\n'),
        explanation: 'The oracle answers the correct text for the block it was shown.',
      },
    };
  };
}

/** The block a hard-fix prompt asks to replace, from its `## Block to replace:` heading. */
export function blockRangeOfPrompt(
  userText: string,
): { file: string; startLine: number; endLine: number } | undefined {
  const m = /^## Block to replace: (.+) lines (\d+)-(\d+)$/m.exec(userText);
  if (!m) return undefined;
  return { file: m[1] as string, startLine: Number(m[2]), endLine: Number(m[3]) };
}
