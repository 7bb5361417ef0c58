import { TOOLS } from '@hardfix/contracts';
import { describe, expect, it } from 'vitest';
import { MODELS, modelSpec } from './models.js';
import { costMicroUsd } from './prices.js';
import { HARD_FIX_REASONING, STAGE_REASONING } from './reasoning.js';
import { type Reasoning, type ShapeInput, shapeRequest, strictSchema } from './request-shape.js';

const input = (model: string, reasoning?: Reasoning): ShapeInput<typeof TOOLS.replaceBlock.schema> => ({
  model,
  tool: TOOLS.replaceBlock,
  system: 'sys',
  user: 'Project: p\nLanguage: python',
  reasoning,
  maxTokens: 16_000,
  cache: true,
});
const shape = (model: string, reasoning?: Reasoning) =>
  shapeRequest(modelSpec(model), input(model, reasoning));

const EVERY_REASONING: Reasoning[] = [
  ...Object.values(STAGE_REASONING),
  ...Object.values(HARD_FIX_REASONING),
  { effort: 'max', think: false },
  { effort: 'xhigh', think: false },
];

describe('requests shaped by the model table', () => {
  it('the default model (claude-sonnet-5-5): never a forced tool, sampling, prefill, budget or disabled thinking', () => {
    for (const reasoning of EVERY_REASONING) {
      const body = shape('claude-sonnet-5-5', reasoning) as unknown as Record<string, unknown>;
      expect(body.tool_choice).toEqual({ type: 'auto' });
      for (const key of ['temperature', 'top_p', 'top_k']) expect(body).not.toHaveProperty(key);
      const messages = body.messages as { role: string }[];
      expect(messages.at(-1)?.role).toBe('user');
      const thinking = body.thinking as { type: string } | undefined;
      expect(['between_tools', undefined]).toContain(thinking?.type);
      // between_tools is refused at xhigh and max (whats-new-sonnet-5-5).
      if (thinking)
        expect(['low', 'medium', 'high']).toContain((body.output_config as { effort: string }).effort);
    }
  });

  it('asks for the tool in words when it cannot force it, and turns up-front thinking off where asked', () => {
    const body = shape('claude-sonnet-5-5', { effort: 'low', think: false });
    expect(body.thinking).toEqual({ type: 'between_tools' });
    expect(body.output_config).toEqual({ effort: 'low' });
    expect(JSON.stringify(body.messages)).toContain('Answer by calling the replace_block tool exactly once');
    expect(shape('claude-sonnet-5-5', { effort: 'high', think: true }).thinking).toBeUndefined();
  });

  it('Opus 5.5 thinks always: no thinking field at all, whatever the stage asks', () => {
    for (const reasoning of EVERY_REASONING) {
      const body = shape('claude-opus-5-5', reasoning);
      expect(body.thinking).toBeUndefined();
      expect(body.tool_choice).toEqual({ type: 'auto' });
    }
  });

  it('an older model that accepts a forced tool gets it only with thinking off', () => {
    const off = shape('claude-sonnet-5', { effort: 'low', think: false });
    expect(off.thinking).toEqual({ type: 'disabled' });
    expect(off.tool_choice).toEqual({ type: 'tool', name: 'replace_block' });
    const on = shape('claude-sonnet-5', { effort: 'high', think: true });
    expect(on.thinking).toBeUndefined();
    expect(on.tool_choice).toEqual({ type: 'auto' });
    // Haiku 4.5 does not think unless asked and has no effort parameter.
    const haiku = shape('claude-haiku-4-5-20251001', { effort: 'high', think: true });
    expect(haiku.tool_choice).toEqual({ type: 'tool', name: 'replace_block' });
    expect(haiku.output_config).toBeUndefined();
    expect(haiku.model).toBe('claude-haiku-4-5-20251001');
  });

  it('an unknown model gets the strictest request: auto, no effort, no thinking setting, no strict tools', () => {
    const spec = modelSpec('claude-nova-9');
    expect(spec.known).toBe(false);
    const body = shapeRequest(spec, input('claude-nova-9', { effort: 'low', think: false }));
    expect(body.tool_choice).toEqual({ type: 'auto' });
    expect(body.thinking).toBeUndefined();
    expect(body.output_config).toBeUndefined();
    expect(body.tools?.[0]).not.toHaveProperty('strict');
    expect(body.max_tokens).toBeLessThanOrEqual(spec.maxOutputTokens);
  });

  it('max_tokens never exceeds the model output limit', () => {
    for (const m of MODELS) {
      const body = shapeRequest(m, { ...input(m.id), maxTokens: 10_000_000 });
      expect(body.max_tokens).toBe(m.maxOutputTokens);
    }
  });
});

describe('strict tool schemas', () => {
  it('drops the keywords strict mode refuses and closes every object', () => {
    const schema = strictSchema({
      type: 'object',
      properties: {
        files: {
          type: 'array',
          minItems: 1,
          maxItems: 200,
          items: {
            type: 'object',
            properties: { path: { type: 'string', minLength: 1, maxLength: 256, pattern: '^(?!/)' } },
          },
        },
        confidence: { type: 'number', minimum: 0, maximum: 1 },
      },
    });
    expect(schema).toEqual({
      type: 'object',
      additionalProperties: false,
      properties: {
        files: {
          type: 'array',
          minItems: 1,
          items: { type: 'object', additionalProperties: false, properties: { path: { type: 'string' } } },
        },
        confidence: { type: 'number' },
      },
    });
  });
});

describe('prices', () => {
  it('cache writes and reads at their own rates (Sonnet 5.5: $2 in, $10 out, $2.50 write, $0.10 read)', () => {
    const cost = costMicroUsd('claude-sonnet-5-5', {
      inputTokens: 1_000_000,
      outputTokens: 1_000_000,
      cacheWriteTokens: 1_000_000,
      cacheReadTokens: 1_000_000,
    });
    expect(cost).toBe(2_000_000 + 10_000_000 + 2_500_000 + 100_000);
  });

  it('an unknown model is priced at the highest rate of the table', () => {
    const usage = { inputTokens: 1000, outputTokens: 1000, cacheWriteTokens: 0, cacheReadTokens: 0 };
    const highest = Math.max(...MODELS.map((m) => costMicroUsd(m.id, usage)));
    expect(costMicroUsd('claude-nova-9', usage)).toBe(highest);
  });
});
