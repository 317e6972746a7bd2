import { ModelArchiveError } from "../errors";

/**
 * The parsed text of an uploaded `model.json`, not yet checked against any schema; a ModelArchiveError when it is
 * not JSON. The web process reads its weights manifest and the analysis child its topology, each from this.
 */
export function parseModelJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ModelArchiveError("model.json is not valid JSON");
  }
}
