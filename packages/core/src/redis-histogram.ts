import type { Redis } from 'ioredis';

/** One label combination of a histogram, with cumulative bucket counts as Prometheus wants them. */
export interface HistogramSeries<L extends string> {
  labels: Record<L, string>;
  /** One entry per configured bound, ascending, then `+Inf` (whose count equals `count`). */
  buckets: { le: number; count: number }[];
  /** Sum of the observed values, in the unit observed (seconds). */
  sum: number;
  count: number;
}

export interface RedisHistogramOptions<L extends string> {
  /** The Redis hash holding every series of this histogram. */
  key: string;
  labelNames: readonly L[];
  /** Upper bounds, ascending; `+Inf` is implied. */
  buckets: readonly number[];
  /** Where `record`/`time` report a failed observation instead of throwing. */
  onError?: (err: unknown) => void;
}

/**
 * Sums are kept as integer microseconds: HINCRBY is exact, so concurrent observations add up to
 * the same total in any order (HINCRBYFLOAT would drift in the last digits).
 */
const SUM_SCALE = 1_000_000;
/** JSON.stringify escapes a tab, so it cannot occur inside the series id that precedes it. */
const SEP = '\t';

/**
 * A Prometheus-style histogram whose state lives in one Redis hash, so that the worker processes
 * observe into it and the API (another process) renders it. Each observation increments its one
 * bucket, the sum and the count in a single MULTI, so a reader never sees them disagree. Buckets
 * are stored per bound (not cumulative) and made cumulative when read; reading costs one HGETALL,
 * bounded by buckets × label combinations, never by the number of jobs.
 */
export class RedisHistogram<L extends string> {
  readonly key: string;
  readonly labelNames: readonly L[];
  readonly buckets: readonly number[];
  private readonly onError: (err: unknown) => void;

  constructor(
    private readonly redis: Redis,
    options: RedisHistogramOptions<L>,
  ) {
    this.key = options.key;
    this.labelNames = options.labelNames;
    this.buckets = [...options.buckets].sort((a, b) => a - b);
    this.onError = options.onError ?? (() => {});
  }

  /** Adds one observation; rejects when Redis does. */
  async observe(labels: Record<L, string>, value: number): Promise<void> {
    if (!Number.isFinite(value) || value < 0)
      throw new RangeError(`histogram ${this.key}: cannot observe ${value}`);
    const id = JSON.stringify(this.labelNames.map((name) => labels[name]));
    const bound = this.buckets.find((b) => value <= b);
    const results = await this.redis
      .multi()
      .hincrby(this.key, `${id}${SEP}le${SEP}${bound ?? '+Inf'}`, 1)
      .hincrby(this.key, `${id}${SEP}sum`, Math.round(value * SUM_SCALE))
      .hincrby(this.key, `${id}${SEP}count`, 1)
      .exec();
    const failed = results?.find(([err]) => err)?.[0];
    if (failed) throw failed;
  }

  /**
   * Like `observe`, but never rejects: a lost measurement must not fail the job that was measured.
   * Failures go to `onError`.
   */
  async record(labels: Record<L, string>, value: number): Promise<void> {
    try {
      await this.observe(labels, value);
    } catch (err) {
      this.onError(err);
    }
  }

  /** Runs `fn` and records how long it took in seconds, whether it resolved or threw. */
  async time<T>(labels: Record<L, string>, fn: () => Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await fn();
    } finally {
      await this.record(labels, (performance.now() - start) / 1000);
    }
  }

  async snapshot(): Promise<HistogramSeries<L>[]> {
    const raw = await this.redis.hgetall(this.key);
    const byId = new Map<string, { perBound: Map<number, number>; sum: number; count: number }>();
    for (const [field, value] of Object.entries(raw)) {
      const [id, kind, bound] = field.split(SEP);
      if (id === undefined) continue;
      let entry = byId.get(id);
      if (!entry) {
        entry = { perBound: new Map(), sum: 0, count: 0 };
        byId.set(id, entry);
      }
      if (kind === 'sum') entry.sum = Number(value) / SUM_SCALE;
      else if (kind === 'count') entry.count = Number(value);
      else if (kind === 'le' && bound !== undefined)
        entry.perBound.set(bound === '+Inf' ? Number.POSITIVE_INFINITY : Number(bound), Number(value));
    }
    return [...byId.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([id, entry]) => ({
        labels: this.labelsOf(id),
        // A bound no longer configured (buckets changed) still counts towards every larger bound.
        buckets: [...this.buckets, Number.POSITIVE_INFINITY].map((le) => ({
          le,
          count: [...entry.perBound].reduce((acc, [b, n]) => (b <= le ? acc + n : acc), 0),
        })),
        sum: entry.sum,
        count: entry.count,
      }));
  }

  private labelsOf(id: string): Record<L, string> {
    const values = JSON.parse(id) as (string | null)[];
    return Object.fromEntries(this.labelNames.map((name, i) => [name, values[i] ?? ''])) as Record<L, string>;
  }
}
