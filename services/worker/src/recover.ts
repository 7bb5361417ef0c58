import { type Project, QUEUES, type QueueName, stageJobId } from '@hardfix/contracts';
import { ACTIVE_STATUSES, enqueueStage, isActive, keys } from '@hardfix/core';
import type { StageDeps } from './deps.js';
import { runEvery } from './periodic.js';
import { markStuck } from './stuck.js';

const LIVE_STATES = new Set(['active', 'waiting', 'delayed', 'prioritized', 'waiting-children']);
const PAGE = 500;

/**
 * A project is written before its job is added, and a job hands off to the next only after its own
 * writes; a crash in between, or a job removed by hand, would leave the project waiting forever. This
 * re-ensures the job of every project in an active status that has no live job: the job of its last
 * recorded attempt is run again (attempts are idempotent, so only its hand-off is repeated) or, with
 * none recorded, the stage's first job is added. Parked projects already say why they wait and are
 * left to the operator. Returns how many projects got their job back.
 */
export async function recoverOrphans(deps: StageDeps): Promise<number> {
  const projectsByStatus = keys(deps.env.QUEUE_PREFIX).projectsByStatus;
  let recovered = 0;
  for (const status of ACTIVE_STATUSES) {
    for (let start = 0; ; start += PAGE) {
      const ids = await deps.redis.zrange(projectsByStatus(status), start, start + PAGE - 1);
      for (const id of ids) {
        // One project's trouble (another worker re-ensuring it at the same moment) must not end the sweep.
        const ok = await ensureJob(deps, id).catch((err) => {
          deps.logger.warn({ projectId: id, err: String(err) }, 'could not re-ensure the job of a project');
          return false;
        });
        if (ok) recovered += 1;
      }
      if (ids.length < PAGE) break;
    }
  }
  if (recovered) deps.logger.warn({ count: recovered }, 're-ensured the jobs of projects that had none');
  return recovered;
}

async function ensureJob(deps: StageDeps, id: string): Promise<boolean> {
  const project = await deps.store.get(id);
  if (!project || !isActive(project.status) || project.parked) return false;
  const target = jobFor(project);
  if (!target) return false;
  const queue = deps.queues[target.queue];
  const next = await queue.getJob(stageJobId(target.queue, id, target.n + 1));
  const current = await queue.getJob(stageJobId(target.queue, id, target.n));
  for (const job of [next, current]) if (job && LIVE_STATES.has(await job.getState())) return false;
  // Re-checked: the project may have moved on (delivered, handed off) while the jobs were read.
  const again = await deps.store.get(id);
  if (!again || again.version !== project.version) return false;
  const latest = next ?? current;
  if (latest && (await latest.getState()) === 'failed') {
    // Failed for good (stalled too often, or out of retries): re-running it on a timer could loop on a
    // job that kills workers, so the project says why and an operator retries it.
    await markStuck(deps, id, target.queue, latest.failedReason || 'no reason recorded');
    deps.logger.warn({ projectId: id, queue: target.queue, jobId: latest.id }, 'orphaned project: parked');
    return true;
  }
  if (latest) await latest.retry('completed');
  else await enqueueStage(deps.queues, target.queue, id, target.n);
  deps.logger.warn({ projectId: id, queue: target.queue, n: target.n }, 'orphaned project: job re-ensured');
  return true;
}

/** The job the project's current stage is at: its last recorded attempt, or the stage's first. */
function jobFor(project: Project): { queue: QueueName; n: number } | undefined {
  const last = (stage: string, floor: number) =>
    Math.max(floor, ...project.attempts.filter((a) => a.stage === stage).map((a) => a.n));
  switch (project.stage) {
    case 'generation':
      return { queue: QUEUES.generation, n: Math.max(1, last('generation', 0)) };
    case 'smart-retry':
      return { queue: QUEUES.smartRetry, n: 1 };
    case 'import':
      return { queue: QUEUES.hardFix, n: 1 };
    case 'hard-fix': {
      const base = project.hardFixBase ?? 0;
      const n = last('hard-fix', base);
      return { queue: QUEUES.hardFix, n: n > base ? n : base + 1 };
    }
    default:
      return undefined;
  }
}

/** Runs recoverOrphans every ORPHAN_SWEEP_MS until stopped; a failed sweep is logged and retried next time. */
export function startOrphanSweep(deps: StageDeps, intervalMs: number): { close(): void } {
  return runEvery(
    intervalMs,
    () => recoverOrphans(deps),
    (err) => deps.logger.warn({ err: String(err) }, 'orphan sweep failed; next one retries'),
  );
}
