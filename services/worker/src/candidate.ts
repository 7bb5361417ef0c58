import type { CodeBlock, Failure, FixSource, ProjectFile } from '@hardfix/contracts';

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
