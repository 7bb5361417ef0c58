/**
 * Every Redis key the service writes, in one place. All keys share QUEUE_PREFIX; with a prefix in
 * braces (`{hardfix}`) they share one Redis Cluster slot, which the Lua scripts need.
 */
export function keys(prefix: string) {
  return {
    project: (id: string) => `${prefix}:project:${id}`,
    projectFiles: (id: string) => `${prefix}:project-files:${id}`,
    projectName: (name: string) => `${prefix}:project-name:${name}`,
    /** Sorted by creation time; one set per status, so listings and counts never scan. */
    projectsByStatus: (status: string) => `${prefix}:projects:${status}`,
    projectsAll: `${prefix}:projects:all`,
    /**
     * The files one attempt produced. Written right after the model answers, so a crash before the
     * attempt is recorded does not pay for the answer twice; kept as history for the analysis prompt.
     */
    attemptFiles: (projectId: string, stage: string, n: number) =>
      `${prefix}:attempt-files:${projectId}:${stage}:${n}`,
    /** The project as a hard-fix round found it (see HardFixOrigin). */
    hardFixOrigin: (projectId: string) => `${prefix}:hard-fix-origin:${projectId}`,
    /** One hash per proven fix, keyed by error signature (the seed's fields). */
    fix: (signature: string) => `${prefix}:fix:${signature}`,
    /** Names of the projects a fix repaired (the seed's used_by_projects), as a set so reuse is idempotent. */
    fixUsers: (signature: string) => `${prefix}:fix-users:${signature}`,
    /** "<project id>:<attempt>" pairs a fix failed for, so a re-run does not count one failure twice. */
    fixFailures: (signature: string) => `${prefix}:fix-failures:${signature}`,
    /** Every signature, scored by first success: paging without SCAN. */
    fixesAll: `${prefix}:fixes:all`,
    fixesByLanguage: (language: string) => `${prefix}:fixes:language:${language}`,
    fixesByType: (errorType: string) => `${prefix}:fixes:type:${errorType}`,
    /** Held (with a TTL) while a reviewer's action on a project runs, so two actions cannot interleave. */
    reviewLock: (projectId: string) => `${prefix}:review-lock:${projectId}`,
    /** Counters behind /status and /metrics: O(1) to read. */
    stats: `${prefix}:stats`,
    /** One hash per duration histogram (see RedisHistogram), written by workers, read by /metrics. */
    histogram: (name: string) => `${prefix}:histogram:${name}`,
  };
}
export type Keys = ReturnType<typeof keys>;
