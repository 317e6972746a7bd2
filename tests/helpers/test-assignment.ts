/**
 * What the two tiny test assignments (tests/grader/builders.ts for the grader alone, tests/queue/fixtures/builders.ts
 * for the database and queue) have in common: assignment 6, due in 2030, 16×16 colour images, the usual submission
 * limits, half the held-out set public, and the gradebook weights.
 */
export const TEST_ASSIGNMENT_BASICS = {
  number: 6,
  dueAt: "2030-01-01T00:00:00Z",
  inputShape: [16, 16, 3] as [number, number, 3],
  limits: { dailySubmissions: 5, maxQueuedPerStudent: 2, dailyRejectedSubmissions: 30 },
  publicFraction: 0.5,
};

export const TEST_GRADEBOOK_WEIGHTS = { quiz: 0.2, assignment: 0.5, report: 0.3 };
