/**
 * Entry of the web process's analysis child process (started by ./isolated-analysis.ts with `--import tsx`, as the
 * grader starts grader/worker/grade-child.ts).
 */
import { analysisHandlers, serveAnalysisRequests } from "./analysis-child";

serveAnalysisRequests(analysisHandlers);
