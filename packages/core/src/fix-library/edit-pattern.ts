import { createHash } from 'node:crypto';
import type { EditPattern } from '@hardfix/contracts';

/*
 * A fix reduced to the edit that made it (the idea of Getafix and DeepDelta): not "these lines became
 * those", which only applies where the same lines are, but the token-level change, with the program's
 * own names abstracted, anchored on what the error names (the EditPattern of contracts). Learnt from one
 * working fix (learn-edit-pattern.ts), applied to another program with the same mistake wherever its
 * anchor is (apply-edit-pattern.ts).
 */

export type { EditPattern, PatternEdit } from '@hardfix/contracts';

/** The same pattern learnt in two programs has the same hash: it is one fix, counted twice. */
export function patternHash(pattern: EditPattern): string {
  return createHash('md5')
    .update(`pattern:${JSON.stringify(pattern)}`)
    .digest('hex');
}
