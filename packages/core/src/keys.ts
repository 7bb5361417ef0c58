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
    /** Counters behind /status and /metrics: O(1) to read. */
    stats: `${prefix}:stats`,
  };
}
export type Keys = ReturnType<typeof keys>;
