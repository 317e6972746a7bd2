import { ModelArchiveError } from "../errors";
import { KERAS_ALLOWED } from "../spec/keras-import";

/**
 * Layer classes an uploaded, already-trained model may use on top of the spec allow-list: wiring and
 * shape layers TF.js implements itself. A trained model is only run forward, so these cost nothing
 * the budget check does not see.
 */
const EVALUATE_EXTRA = [
  "Sequential", "Functional", "Model", "Add", "Concatenate", "Multiply", "Average", "Maximum", "Minimum",
  "ZeroPadding2D", "Cropping2D", "Reshape", "Permute", "UpSampling2D", "LeakyReLU", "ELU", "PReLU",
  "SpatialDropout2D",
] as const;

const ALLOWED = new Set<string>([...KERAS_ALLOWED, ...EVALUATE_EXTRA]);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** The layer list of a Keras model config: `config.layers`, or the bare list of Keras ≤ 2.2 Sequential. */
function layerList(model: Obj): unknown[] {
  const config = model.config;
  if (Array.isArray(config)) return config;
  return isObj(config) && Array.isArray(config.layers) ? config.layers : [];
}

/**
 * Refuses an uploaded model's topology if any layer (nested models included) is outside the
 * allow-list — before TF.js builds anything from it. Lambda and custom classes are named in the
 * message, with where they stand (e.g. `layers.3`).
 * @throws ModelArchiveError
 */
export function checkModelLayers(modelTopology: Obj): void {
  const root = isObj(modelTopology.model_config) ? modelTopology.model_config : modelTopology;
  const visit = (model: Obj, where: string): void => {
    layerList(model).forEach((layer, i) => {
      const at = `${where}layers.${i}`;
      if (!isObj(layer) || typeof layer.class_name !== "string") {
        throw new ModelArchiveError(`model.json: ${at} is not a layer ({class_name, config})`);
      }
      const cls = layer.class_name;
      if (!ALLOWED.has(cls) || (typeof layer.module === "string" && !layer.module.startsWith("keras"))) {
        throw new ModelArchiveError(
          `The model uses the layer "${cls}" (${at}), which is custom or not supported by TF.js (Lambda and custom layers cannot be graded)`,
        );
      }
      if (cls === "Sequential" || cls === "Functional" || cls === "Model") visit(layer, `${at}.`);
    });
  };
  visit(root, "");
}
