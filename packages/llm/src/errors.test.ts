import { describe, expect, it } from 'vitest';
import {
  LlmAuthError,
  LlmError,
  LlmInvalidAnswerError,
  LlmNotConfiguredError,
  LlmRequestError,
  LlmTransientError,
} from './errors.js';

describe('LLM errors', () => {
  it('carry their own name and code, the status the API answered with, and the cause', () => {
    const cause = new Error('socket hang up');
    const errors = [
      [new LlmTransientError('busy', 'overloaded', 500, { cause }), 'LlmTransientError', 'llm_transient'],
      [new LlmAuthError('no key', 401), 'LlmAuthError', 'llm_auth'],
      [new LlmRequestError('bad model', 404, { cause }), 'LlmRequestError', 'llm_request'],
      [new LlmInvalidAnswerError('no tool call', usage, 'm'), 'LlmInvalidAnswerError', 'llm_invalid_answer'],
      [new LlmNotConfiguredError(), 'LlmNotConfiguredError', 'llm_not_configured'],
    ] as const;
    for (const [error, name, code] of errors) {
      expect(error).toBeInstanceOf(LlmError);
      expect(error.name).toBe(name);
      expect(error.code).toBe(code);
    }
    expect(new LlmAuthError('no key', 401).status).toBe(401);
    expect(new LlmRequestError('bad model', 404, { cause }).cause).toBe(cause);
    expect(new LlmTransientError('busy', 'overloaded', 500).retryAfterMs).toBe(500);
  });
});

const usage = { inputTokens: 1, outputTokens: 1, cacheWriteTokens: 0, cacheReadTokens: 0 };
