/**
 * Entry of the web process's analysis worker thread (started by ./isolated-analysis.ts through
 * ./analysis-worker-boot.mjs, which loads TypeScript first).
 */
import { analysisHandlers, serveAnalysisRequests } from "./analysis-worker";

serveAnalysisRequests(analysisHandlers);
