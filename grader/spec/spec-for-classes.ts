type SpecDocument = Record<string, unknown>;

/**
 * A spec made to fit a dataset with `classes` classes: its last Dense layer (the softmax of a CNN's `layers` or a
 * transfer recipe's `head`; trailing dropout skipped) gets one unit per class. Everything else is as written, so the
 * lesson's network stays the lesson's network, with the dataset's number of outputs. Pure (the builder uses it to
 * start a student's presets on their own dataset, the platform to size its baseline).
 * @returns the sized copy, or null for a spec with no such layer (a Keras topology, a list not ending in Dense)
 */
export function specForClasses(spec: SpecDocument, classes: number): SpecDocument | null {
  const key = spec.kind === "transfer" ? "head" : spec.kind === "cnn" ? "layers" : undefined;
  const layers = key ? spec[key] : undefined;
  if (!key || !Array.isArray(layers)) return null;
  const copy = layers.map((l: unknown) => (typeof l === "object" && l !== null ? { ...(l as SpecDocument) } : l));
  for (let i = copy.length - 1; i >= 0; i--) {
    const layer = copy[i] as SpecDocument | null;
    if (layer?.type === "dropout") continue;
    if (layer?.type !== "dense") return null;
    layer.units = classes;
    return { ...spec, [key]: copy };
  }
  return null;
}
