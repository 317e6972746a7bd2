/**
 * Size and depth caps on user topologies (specs, Keras `to_json()` / `config.json`, TF.js `model.json`), checked
 * before anything walks them. Every walk over a user graph is bounded by these numbers, not by the input being well
 * formed. One place, so the web process (and its isolation around analysis) and the grader agree on them.
 * Pure constants: imported by browser code too.
 * @see docs/architecture.md, "Untrusted input"
 */

/** Characters of spec text (JSON or YAML) read at all; also bounds `JSON.parse`'s work. */
export const MAX_SPEC_CHARS = 1_000_000;

/** Layers in a `cnn` spec's list or a transfer head. */
export const MAX_SPEC_LAYERS = 64;

/**
 * Layers in a Keras topology submitted as a spec. Larger than MAX_SPEC_LAYERS because Keras adds an InputLayer and
 * often separate Activation/Dropout layers; the budget check still decides what may train.
 */
export const MAX_KERAS_LAYERS = 256;

/**
 * Layers in an uploaded trained model, counted over every nested model. The largest Keras application models
 * (EfficientNetB7, ~810 layers) fit with room to spare.
 */
export const MAX_MODEL_LAYERS = 2_000;

/** Models nested inside models (a Sequential inside a Functional is depth 2). Real uploads use 2 or 3. */
export const MAX_MODEL_NESTING = 8;

/**
 * Inbound references one layer may have, over all its nodes (fan-in of a Concatenate, or a layer shared by many
 * calls). The spec importer takes single chains only, so this bounds reading, not what is accepted.
 */
export const MAX_LAYER_INBOUND = 256;

/**
 * Nesting of arrays/objects in any user JSON/YAML value (a spec, a topology). Real Keras 3 configs nest ~15 deep,
 * plus ~5 per nested model. Recursive code (zod, JSON.stringify, TF.js's config conversion) is safe below this.
 */
export const MAX_JSON_DEPTH = 100;

/**
 * Array elements + object members in one user value, counted the way a tree walk visits them (so YAML aliases that
 * share one node many times count every time). A 1 MB JSON text holds at most ~500k; real specs a few thousand.
 */
export const MAX_JSON_NODES = 500_000;

/** YAML alias nodes one spec may use (the `yaml` package also refuses alias expansion larger than the document). */
export const MAX_YAML_ALIASES = 100;
