import type { FakeReply } from './fake-anthropic-types.js';

/** The simulated model's `write_files` answer with these files. */
export const writeFilesAnswer = (files: { path: string; content: string }[]): FakeReply => ({
  tool: { files },
});
