import {
  type CodeBlock,
  type Failure,
  type FixSource,
  type ProjectFile,
  REFUSED_UNRUN,
} from '@hardfix/contracts';
import { LlmInvalidAnswerError } from '@hardfix/llm';

/** What one attempt proposes: a whole project's files, and where they came from. */
export interface Candidate {
  files: ProjectFile[];
  entry?: string;
  fixSource?: FixSource;
  /** Hard fix: the line range replaced and the code put there. */
  patch?: CodeBlock;
  /** Hard fix: the failure this candidate set out to fix. */
  target?: Failure;
  /** Hard fix: the library key of that failure. */
  fixSignature?: string;
  /** The library fix applied, when fixSource is 'library'. */
  fixId?: string;
  /** Hard fix: requirement lines it added to the manifest (replace_block `dependencies`). */
  dependencies?: string[];
}

/** A candidate that is refused without running it (it repeats an earlier one); counts as a failed attempt. */
export class CandidateRejectedError extends Error {
  readonly code = 'candidate_rejected';
  constructor(
    readonly type: string,
    message: string,
    /** Hard fix: the block the refused candidate was for (recorded as the attempt's `shown`). */
    readonly shown?: CodeBlock,
  ) {
    super(message);
    this.name = 'CandidateRejectedError';
  }
}

/** A candidate refused before it ran (an invalid model answer, a repeat): a failed attempt all the same. */
export interface Refusal {
  refused: Pick<Failure, 'type' | 'message'>;
  /** The block the refused candidate was for. */
  shown?: CodeBlock;
}

/**
 * What a stage's candidate source threw, as a refusal when it is one (`.catch(refusal)` after asking);
 * anything else (an outage, a budget, a bug) is thrown on, and the attempt is not used.
 */
export function refusal(err: unknown): Refusal {
  if (err instanceof LlmInvalidAnswerError)
    return { refused: { type: REFUSED_UNRUN.invalidAnswer, message: err.message } };
  if (err instanceof CandidateRejectedError)
    return { refused: { type: err.type, message: err.message }, ...(err.shown ? { shown: err.shown } : {}) };
  throw err;
}
