import { hostname } from 'node:os';
import { type Logger, publishSandboxHealth, removeSandboxHealth } from '@hardfix/core';
import type { DependencyInstaller, Sandbox, SandboxHealth } from '@hardfix/sandbox';
import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';

export interface SandboxGateOptions {
  sandbox: Sandbox;
  workers: Worker[];
  redis: Redis;
  prefix: string;
  logger: Logger;
  /** First wait before a failed self-test is run again; it doubles up to `maxRecheckMs`. */
  recheckMs: number;
  maxRecheckMs?: number;
  heartbeatMs?: number;
  /** Published with the sandbox's health (/status, /ready warnings); its registries re-checked every `registryCheckMs`. */
  dependencies?: DependencyInstaller;
  /** @defaultValue 30000 */
  registryCheckMs?: number;
}

export interface SandboxGate {
  readonly workerId: string;
  close(): Promise<void>;
}

/**
 * Takes jobs only while the sandbox is known to work: the BullMQ workers start once the self-test
 * passes, pause when a sandbox fault or a failed self-test says it does not, and resume when a later
 * self-test passes. The health is published to Redis for /ready and /status on every change and on a
 * heartbeat, so the API can tell a worker that cannot verify from one that is idle.
 */
export async function startSandboxGate(opts: SandboxGateOptions): Promise<SandboxGate> {
  const { sandbox, workers, logger } = opts;
  const workerId = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  const heartbeatMs = opts.heartbeatMs ?? 5_000;
  const maxRecheckMs = opts.maxRecheckMs ?? 5 * 60_000;
  /** Taking jobs now. */
  let running = false;
  /** The BullMQ workers' loops have been started (once; after that they are paused and resumed). */
  let started = false;
  let closed = false;
  let recheckTimer: NodeJS.Timeout | undefined;
  let recheckWait = opts.recheckMs;

  const publish = async (health: SandboxHealth) => {
    if (closed) return;
    await publishSandboxHealth(
      opts.redis,
      opts.prefix,
      {
        worker: workerId,
        state: health.state,
        reasons: health.reasons,
        mode: health.mode,
        languages: health.languages,
        ...(opts.dependencies ? { dependencies: await opts.dependencies.health() } : {}),
      },
      heartbeatMs * 3,
    ).catch((err: unknown) => logger.warn({ err: String(err) }, 'could not publish the sandbox health'));
  };

  const open = () => {
    recheckWait = opts.recheckMs;
    if (!running) {
      running = true;
      for (const w of workers) {
        if (started) w.resume();
        else void w.run().catch((err: unknown) => logger.error({ err: String(err) }, 'worker stopped'));
      }
      started = true;
      logger.info({ sandbox: sandbox.describe().kind }, 'sandbox self-test passed; taking jobs');
    }
  };

  const shut = (health: SandboxHealth) => {
    if (running) {
      running = false;
      // Jobs in flight finish (or fault and park); no new ones are taken.
      for (const w of workers) void w.pause(true);
    }
    logger.error(
      { reasons: health.reasons },
      'sandbox does not work; taking no jobs until a self-test passes',
    );
    scheduleRecheck();
  };

  const scheduleRecheck = () => {
    if (closed || recheckTimer) return;
    recheckTimer = setTimeout(() => {
      recheckTimer = undefined;
      void sandbox.selfTest().then(
        (h) => {
          if (h.state !== 'ready') {
            recheckWait = Math.min(recheckWait * 2, maxRecheckMs);
            scheduleRecheck();
          }
        },
        () => scheduleRecheck(),
      );
    }, recheckWait);
  };

  sandbox.onHealthChange((health) => {
    void publish(health);
    if (health.state === 'ready') open();
    else if (health.state === 'failed') shut(health);
  });
  const heartbeat = setInterval(() => void publish(sandbox.health()), heartbeatMs);
  heartbeat.unref();
  // A registry that went away shows in /ready before a project waits on it, and one that came back too.
  const registryCheck = opts.dependencies
    ? setInterval(
        () =>
          void opts.dependencies
            ?.checkRegistries()
            .then(() => publish(sandbox.health()))
            .catch(() => {}),
        opts.registryCheckMs ?? 30_000,
      )
    : undefined;
  registryCheck?.unref();
  void opts.dependencies?.checkRegistries().catch(() => {});

  await publish(sandbox.health());
  const first = await sandbox.selfTest();
  if (first.state === 'ready') open();
  else if (!recheckTimer) shut(first);

  return {
    workerId,
    close: async () => {
      closed = true;
      clearInterval(heartbeat);
      if (registryCheck) clearInterval(registryCheck);
      if (recheckTimer) clearTimeout(recheckTimer);
      await removeSandboxHealth(opts.redis, opts.prefix, workerId).catch(() => {});
    },
  };
}
