import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DEMO_STUDENT } from "@/db/seed/demo-accounts";
import { deflatedZip } from "../helpers/hostile-zips";
import { postForm } from "./helpers/http-session";
import { useRunningSite } from "./helpers/running-site";

const MB = 1024 * 1024;

/**
 * A 60-byte weight group: any larger shard is "longer than its manifest". The grader can only say
 * so after reading the whole upload, so that answer proves the body arrived whole.
 */
const MODEL_JSON = JSON.stringify({
  format: "layers-model",
  modelTopology: { class_name: "Sequential", config: { name: "s", layers: [{ class_name: "Dense", config: { name: "d", units: 3, batch_input_shape: [null, 4] } }] } },
  weightsManifest: [{ paths: ["weights.bin"], weights: [{ name: "d/kernel", shape: [4, 3], dtype: "float32" }, { name: "d/bias", shape: [3], dtype: "float32" }] }],
});

/**
 * Next.js copies a request body for every request its middleware runs on (at most 10 MB, and under
 * concurrency it loses parts: vercel/next.js#83453). Upload bodies must reach the route handlers
 * untouched, whatever the middleware does for pages.
 */
describe("upload bodies reach the server whole (a running production server)", () => {
  const site = useRunningSite({ signInAs: DEMO_STUDENT });

  const submitModel = async (zip: Buffer) => {
    const model = new File([new Uint8Array(zip)], "model.zip", { type: "application/zip" });
    const res = await postForm(site.server.url, "/api/assignments/6/submissions", site.cookie, { mode: "model", model });
    return { status: res.status, headers: res.headers, body: (await res.json()) as { error?: string } };
  };

  it("reads a 24 MB model upload to its end (past the 10 MB a middleware copy keeps)", async () => {
    const zip = await deflatedZip([{ name: "model.json", data: MODEL_JSON }, { name: "weights.bin", data: randomBytes(24 * MB) }]);
    const { status, body, headers } = await submitModel(zip);
    expect(body.error).toMatch(/longer than its manifest|manifest's weights need 60 bytes/);
    expect(status).toBe(422);
    // The middleware skips it, yet the answer still carries the security headers (from next.config.mjs).
    expect(headers.get("x-content-type-options")).toBe("nosniff");
    expect(headers.get("content-security-policy")).toContain("script-src 'none'");
  });

  it("keeps every form field of 16 concurrent 2 MB uploads", async () => {
    const zip = await deflatedZip([{ name: "model.json", data: MODEL_JSON }, { name: "weights.bin", data: randomBytes(2 * MB) }]);
    const answers = await Promise.all(Array.from({ length: 16 }, () => submitModel(zip)));
    const lostFields = answers.filter((a) => /Choose how you submit/.test(a.body.error ?? ""));
    expect(lostFields, `answers: ${JSON.stringify(answers.map((a) => a.body.error))}`).toEqual([]);
    for (const a of answers) expect(a.status).toBe(422);
  });
});
