import { describe, expect, it } from "vitest";
import {
  cutSpecSchema,
  REJECTED_MESSAGE_MAX_CHARS,
  REJECTED_SPEC_KEEP_BYTES,
  rejectedMessageToStore,
  rejectedSpecToStore,
} from "@/grader/queue/rejected-spec";

describe("what a rejected submission keeps of the spec", () => {
  it("keeps a short spec text whole, as the text the student sent", () => {
    expect(rejectedSpecToStore("kind: cnn\nlayers: []\n")).toEqual({ source: "kind: cnn\nlayers: []\n" });
  });

  it("keeps a short spec that arrived as data (a Keras topology and training block) as it was", () => {
    const raw = { kind: "keras", model: "{}", training: { epochs: 1 } };
    expect(rejectedSpecToStore(raw)).toBe(raw);
  });

  it("keeps the first 8 KB of a megabyte of text, cut between characters and marked as cut", () => {
    // Three-byte characters: 8 KB is not a whole number of them, so a byte cut would split one.
    const text = "€".repeat(400_000);
    const stored = cutSpecSchema.parse(rejectedSpecToStore(text));
    expect(stored.cut).toEqual({ keptBytes: Buffer.byteLength(stored.source), originalBytes: 1_200_000 });
    expect(stored.cut.keptBytes).toBeLessThanOrEqual(REJECTED_SPEC_KEEP_BYTES);
    expect(stored.cut.keptBytes).toBeGreaterThan(REJECTED_SPEC_KEEP_BYTES - 3);
    expect(stored.source).toBe("€".repeat(stored.source.length));
  });

  it("cuts a large document that arrived as data to the beginning of its JSON", () => {
    const raw = { kind: "keras", model: "x".repeat(1024 * 1024), training: { epochs: 1 } };
    const stored = cutSpecSchema.parse(rejectedSpecToStore(raw));
    expect(stored.source.startsWith('{\n  "kind": "keras",')).toBe(true);
    expect(Buffer.byteLength(stored.source)).toBeLessThanOrEqual(REJECTED_SPEC_KEEP_BYTES);
  });

  it("stores nothing for no spec, and caps a long refusal message", () => {
    expect(rejectedSpecToStore(undefined)).toBeNull();
    expect(rejectedMessageToStore("Invalid spec: kind")).toBe("Invalid spec: kind");
    const long = rejectedMessageToStore(`Unknown layer type "${"y".repeat(50_000)}"`);
    expect(long).toHaveLength(REJECTED_MESSAGE_MAX_CHARS);
    expect(long.endsWith("…")).toBe(true);
  });
});
