/**
 * Next.js server start-up hook. In the Node.js runtime it starts the embedded grader when no Redis
 * is configured (see grader/worker/start-embedded-grader.ts); the edge runtime gets nothing.
 */
export async function register(): Promise<void> {
  // eslint-disable-next-line no-restricted-properties -- Next.js inlines NEXT_RUNTIME at build time; only this literal form lets it drop the Node-only import below from the edge bundle.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startEmbeddedGraderIfNeeded } = await import("./grader/worker/start-embedded-grader");
  await startEmbeddedGraderIfNeeded();
  const { startLtiPassback } = await import("./domain/lti/start-passback");
  await startLtiPassback();
}
