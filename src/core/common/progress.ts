import type { JobPhase } from '../../shared/events.ts'

/**
 * How long work reports how far it has come: `done` of `total` in its current phase (`total` 0 while
 * there is no measure). Called between steps, it is also where a cancelled job stops: in a job it
 * throws `job.cancelled` once the user cancelled (see app/jobs.ts), so whatever the work has open (its
 * transaction) is rolled back. Work run directly (tests, the seed) passes nothing: `noProgress`.
 */
export type Progress = (phase: JobPhase, done: number, total: number) => void

export const noProgress: Progress = () => {}

/** Calls `progress` every `every` items of a loop (and at its first), so that a long loop reports and can stop without slowing down. */
export function ticker(progress: Progress, phase: JobPhase, total: number, every = 500): (done: number) => void {
  if (progress === noProgress) return () => {}
  return (done) => {
    if (done % every === 0) progress(phase, done, total)
  }
}
