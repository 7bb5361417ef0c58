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
    /**
     * One hash per proven fix (the seed's fields plus patch, outcomes, version, source), keyed by fix id.
     * The first fix of a signature has the signature as its id, so `fix:<signature>` is that fix; other
     * candidates for the same signature are `fix:<signature>.<change hash prefix>`.
     */
    fix: (fixId: string) => `${prefix}:fix:${fixId}`,
    /** Names of the projects a fix repaired (the seed's used_by_projects), as a set so reuse is idempotent. */
    fixUsers: (fixId: string) => `${prefix}:fix-users:${fixId}`,
    /** Use ids ("<project id>:<attempt>") a fix failed for, so a re-run does not count one failure twice. */
    fixFailures: (fixId: string) => `${prefix}:fix-failures:${fixId}`,
    /** Fingerprints of the import records merged into a fix, so importing a file twice adds nothing. */
    fixImports: (fixId: string) => `${prefix}:fix-imports:${fixId}`,
    /**
     * The fixes offered for a signature, scored by success rate (a demoted fix scores -1 and is not
     * offered). A fix is listed under its own signature and under its aliases (e.g. a newer version's).
     */
    fixCandidates: (signature: string) => `${prefix}:fix-candidates:${signature}`,
    /**
     * Listing indexes: score 0, members "<first success ms, 15 digits>|<fix id>", so a page resumes
     * after its last member (ZRANGE BYLEX) however many fixes share a timestamp.
     */
    fixesAll: `${prefix}:fixes:index:all`,
    fixesByLanguage: (language: string) => `${prefix}:fixes:index:language:${language}`,
    fixesByType: (errorType: string) => `${prefix}:fixes:index:type:${errorType}`,
    fixesByLanguageAndType: (language: string, errorType: string) =>
      `${prefix}:fixes:index:language-type:${language}:${errorType}`,
    /** The event outbox: a Redis Stream of every project event (see events/outbox.ts). */
    events: `${prefix}:events`,
    /** A project's events and their webhook delivery states (see events/project-events.ts). */
    projectEvents: (projectId: string) => `${prefix}:project-events:${projectId}`,
    /** The signature version every fix that stored its error is offered under (see migrateSignatures). */
    fixesSignatureVersion: `${prefix}:fixes:signature-version`,
    /** Held (with a TTL) while a reviewer's action on a project runs, so two actions cannot interleave. */
    reviewLock: (projectId: string) => `${prefix}:review-lock:${projectId}`,
    /**
     * Counters behind /status and /metrics: O(1) to read. The library keeps `fixes:total`,
     * `fixes:demoted`, `fixes:reuse-successes` and `fixes:reuse-failures` exact.
     */
    stats: `${prefix}:stats`,
    /**
     * Each worker process's sandbox health (field: worker id, value: JSON with an expiry), refreshed by a
     * heartbeat; /ready and /status read it, so the API knows whether the workers can verify.
     */
    sandboxHealth: `${prefix}:sandbox-health`,
    /** Set (with a TTL) while the API says the organisation is out of spend: every LLM stage waits. */
    llmPause: `${prefix}:llm-pause`,
    /** One hash per duration histogram (see RedisHistogram), written by workers, read by /metrics. */
    histogram: (name: string) => `${prefix}:histogram:${name}`,
  };
}
export type Keys = ReturnType<typeof keys>;

/** Where a key's parameters go in a template (never part of a prefix, an id or a signature). */
const HOLE = '\u0000';

/**
 * The fix library's keys as its Lua scripts build them (src/lua/includes/library.lua): each key as the
 * text between its parameters, made by the functions above, so the layout is written once (here) and
 * the scripts are handed it with their arguments instead of spelling it again.
 */
export function libraryKeyTemplates(prefix: string) {
  const k = keys(prefix);
  const parts = (key: string) => key.split(HOLE);
  return {
    fix: parts(k.fix(HOLE)),
    fixUsers: parts(k.fixUsers(HOLE)),
    fixFailures: parts(k.fixFailures(HOLE)),
    fixImports: parts(k.fixImports(HOLE)),
    fixCandidates: parts(k.fixCandidates(HOLE)),
    stats: [k.stats],
    fixesAll: [k.fixesAll],
    fixesByLanguage: parts(k.fixesByLanguage(HOLE)),
    fixesByType: parts(k.fixesByType(HOLE)),
    fixesByLanguageAndType: parts(k.fixesByLanguageAndType(HOLE, HOLE)),
  };
}
export type LibraryKeyTemplates = ReturnType<typeof libraryKeyTemplates>;
