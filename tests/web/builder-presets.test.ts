import { describe, expect, it } from "vitest";
import { builderPresets } from "@/app/courses/[slug]/assignments/[number]/builder/presets";
import { blockedReason } from "@/app/courses/[slug]/assignments/[number]/builder/spec-builder";
import { analyseSpec } from "@/app/courses/[slug]/assignments/[number]/builder/analyse-spec";
import { loadAssignment } from "@/grader/assignment/load-assignment";
import { loadReferenceSpecs } from "@/grader/assignment/reference-specs";
import { registeredBases } from "@/grader/registry/registered-bases";

describe("the builder's presets", () => {
  it("offers Assignment 6's reference specs first, each passing the assignment's own check, then the empty CNN", async () => {
    const config = await loadAssignment("lesson-6");
    const presets = builderPresets({ reference: await loadReferenceSpecs(config), previous: null });
    expect(presets.map((p) => [p.label, p.kind])).toEqual([
      ["Simple CNN from the lesson", "cnn"],
      ["Transfer from shapes-base", "transfer"],
      ["An empty CNN", "cnn"],
    ]);
    // A student who opens the builder sees no problem: the presets fit the assignment as they are.
    for (const p of presets.slice(0, 2)) {
      const live = analyseSpec(p.spec, config, registeredBases());
      expect([...live.issues, ...live.budget], p.label).toEqual([]);
    }
  });

  it("adds the student's last CNN or transfer submission, named, and skips anything the builder cannot open", () => {
    const previous = { spec: { kind: "transfer", name: "my head", base: "shapes-base", head: [] }, createdAt: new Date() };
    const presets = builderPresets({ reference: [{ file: "specs/keras.yaml", spec: { kind: "keras", model: "{}" } }], previous });
    expect(presets.map((p) => p.label)).toEqual(["Your last submission (my head)", "An empty CNN"]);
    expect(presets[0]).toMatchObject({ id: "previous", kind: "transfer" });
  });

  it("refuses a reference spec path that leaves the assignment's folder", async () => {
    await expect(loadReferenceSpecs({ slug: "lesson-6", referenceSpecs: ["../../package.json"] })).rejects.toThrow(/outside/);
  });

  it("says why Submit is held, and nothing once the spec fits", () => {
    expect(blockedReason(2, 0, false)).toBe('Submit is off until the spec is valid: fix the 2 problems listed under "Layer table and budget".');
    expect(blockedReason(0, 1, true)).toBe('Submit is off until the spec fits this assignment: 1 problem listed under "Layer table and budget".');
    expect(blockedReason(0, 0, false)).toBe("Submit is off until the check has run.");
    expect(blockedReason(0, 0, true)).toBeNull();
  });
});
