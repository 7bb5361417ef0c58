import { type Project, type ProjectFile, type StageJob, TOOLS, testFilesOf } from '@hardfix/contracts';
import { faultPoint } from '@hardfix/core';
import { adapterOf } from '@hardfix/languages';
import { analysisPrompt, STAGE_REASONING, smartRetryPrompt } from '@hardfix/llm';
import { type Candidate, type JobAnswer, jobAnswer, openAttempt, refusal, runAttempt } from '../attempt.js';
import { dependencyPolicy } from '../dependencies.js';
import type { StageDeps } from '../deps.js';
import { decide, handOff } from '../hand-off.js';
import { callLlm } from '../llm-call.js';

/**
 * After the normal attempts: one `report_analysis` call over the request and every failed attempt.
 * Confident enough → attempt 4 (`write_files` with the plan and the errors); otherwise, or when that
 * fails too, the project goes to hard fix.
 */
export function createSmartRetryStage(deps: StageDeps) {
  return async ({ projectId }: StageJob): Promise<JobAnswer> => {
    let project = await deps.store.mustGet(projectId);
    if (project.stage !== 'smart-retry') return 'skipped';

    // What both prompts show: the request and every failed generation attempt.
    const request = {
      name: project.name,
      language: project.language,
      request: project.prompt ?? '',
      attempts: await failedGenerations(deps, project),
    };
    if (!project.analysis) {
      const answer = await callLlm(deps, project, {
        tool: TOOLS.reportAnalysis,
        ...analysisPrompt(request),
        reasoning: STAGE_REASONING.analysis,
      });
      await faultPoint('llm-call', 'analysis');
      project = await deps.store.update(project, (p) =>
        p.analysis ? undefined : { ...p, analysis: { ...answer, at: new Date().toISOString() } },
      );
      await faultPoint('answer-stored', 'analysis');
    }
    const analysis = project.analysis;
    const { next } = await decide(deps, project, {
      stage: 'smart-retry',
      analysisConfidence: analysis?.confidence ?? 0,
    });
    if (!analysis || next.kind !== 'smart-attempt') {
      deps.logger.info(
        { projectId, confidence: analysis?.confidence },
        'low confidence: straight to hard fix',
      );
      return 'failed';
    }
    const plan = { ...request, analysis: { diagnosis: analysis.diagnosis, plan: analysis.plan } };
    const open = await openAttempt(deps, project, { stage: 'smart-retry', n: 1 });
    const result =
      open.ended ??
      (await runAttempt(
        deps,
        open,
        open.candidate ?? (await smartFiles(deps, open.project, plan).catch(refusal)),
      ));
    await handOff(deps, result);
    return jobAnswer(result);
  };
}

/** The smart attempt's candidate: `write_files` with the analysis and the spec (the last generation's tests). */
async function smartFiles(
  deps: StageDeps,
  project: Project,
  plan: Omit<Parameters<typeof smartRetryPrompt>[0], 'tests'>,
): Promise<Candidate> {
  const tests = testFilesOf(project.language, (await deps.store.getFiles(project.id)).files);
  const answer = await callLlm(deps, project, {
    tool: TOOLS.writeFiles,
    reasoning: STAGE_REASONING.smartRetry,
    ...smartRetryPrompt({ ...plan, tests, dependencies: dependencyPolicy(deps, project.language) }),
  });
  const all = withTests(answer.files, tests);
  // What the language's build needs and the answer left out (a go.mod) is part of the project.
  const files = adapterOf(project.language).files.complete?.(all, project.name) ?? all;
  return { files, ...(answer.entry ? { entry: answer.entry } : {}) };
}

/**
 * The answer leaves the tests out (the prompt asks it to); they are put back as they are. A test file
 * the answer does include is kept as answered, so the spec check sees and refuses any change to it.
 */
function withTests(files: ProjectFile[], tests: ProjectFile[]): ProjectFile[] {
  return [...files, ...tests.filter((t) => !files.some((f) => f.path === t.path))];
}

/** Every failed generation attempt with its code, so the analysis sees what was tried. */
async function failedGenerations(deps: StageDeps, project: Project) {
  const attempts = project.attempts.filter((a) => a.stage === 'generation' && a.outcome === 'failed');
  return Promise.all(
    attempts.map(async (a) => {
      const record = await deps.store.getAttemptFiles(project.id, 'generation', a.n);
      return {
        n: a.n,
        files: record?.files ?? [],
        error: {
          type: a.error?.type ?? 'Unknown',
          message: a.error?.message ?? '',
          ...(record?.lastFailure?.file ? { file: record.lastFailure.file } : {}),
          ...(record?.lastFailure?.line ? { line: record.lastFailure.line } : {}),
        },
        ...(a.tests ? { tests: a.tests } : {}),
        ...(record?.lastFailure?.output ? { output: record.lastFailure.output } : {}),
        ...(record?.lastFailure?.test ? { test: record.lastFailure.test } : {}),
      };
    }),
  );
}
