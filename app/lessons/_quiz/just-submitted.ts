/**
 * The attempts this tab has just submitted. The form marks an attempt after the server has accepted
 * it; the result, mounted by the refresh that follows, takes the mark and moves focus to the score.
 * A result opened any other way (a link, a reload) leaves focus where the browser puts it.
 */
const justSubmitted = new Set<string>();

export function markJustSubmitted(attemptId: string): void {
  justSubmitted.add(attemptId);
}

/** True once per mark: whether this attempt was just submitted in this tab. */
export function takeJustSubmitted(attemptId: string): boolean {
  return justSubmitted.delete(attemptId);
}
