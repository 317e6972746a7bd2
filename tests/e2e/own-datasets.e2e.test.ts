import path from "node:path";
import type { Page } from "playwright-core";
import sharp from "sharp";
import yauzl from "yauzl";
import { describe, expect, it } from "vitest";
import { DEMO_INSTRUCTOR, DEMO_STUDENT } from "@/db/seed/demo-accounts";
import { deflatedZip, folderZip } from "../helpers/hostile-zips";
import { hasChromium, screenshot, signIn } from "./helpers/browser";
import { checkA11y, FASHION, uploadDataset, useFashionZip, warnIfSkipped } from "./helpers/own-dataset-walk";
import { postForm, sessionCookie } from "./helpers/http-session";
import { useRunningSite } from "./helpers/running-site";

warnIfSkipped("own-dataset upload walk");

const COURSE = "/courses/cv-fundamentals";
const UPLOAD = "/api/courses/cv-fundamentals/datasets?assignment=6";

/** The entries of a zip as name → bytes (small zips only). */
function readZip(file: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const out = new Map<string, Buffer>();
      zip.on("entry", (e: yauzl.Entry) => {
        if (e.fileName.endsWith("/")) return zip.readEntry();
        zip.openReadStream(e, (err2, stream) => {
          if (err2 || !stream) return reject(err2);
          const chunks: Buffer[] = [];
          stream.on("data", (c: Buffer) => chunks.push(c));
          stream.on("end", () => {
            out.set(e.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on("end", () => resolve(out));
      zip.on("error", reject);
      zip.readEntry();
    });
  });
}

/** Every <img> of the page has loaded a real picture (the thumbnails route answered with a PNG). */
async function imagesLoaded(page: Page, selector: string): Promise<number> {
  const locator = page.locator(selector);
  await locator.first().waitFor();
  await page.waitForFunction((sel) => [...document.querySelectorAll<HTMLImageElement>(sel)].every((i) => i.complete), selector);
  const widths = await locator.evaluateAll((imgs) => (imgs as HTMLImageElement[]).map((i) => i.naturalWidth));
  expect(widths.every((w) => w > 0), `every ${selector} loaded`).toBe(true);
  return widths.length;
}

describe.skipIf(!hasChromium)("a student's own datasets on a running production server", () => {
  const site = useRunningSite({ browser: true, signInAs: DEMO_STUDENT });
  const fashionZip = useFashionZip("fashion.zip", "shirt,sneaker,bag,dress,coat", 300, 120_000);

  const signedInPage = async (width: number, account: { email: string; password: string } = DEMO_STUDENT): Promise<Page> => {
    const context = await site.browser.newContext({ viewport: { width, height: width === 390 ? 844 : 900 } });
    const page = await context.newPage();
    await signIn(page, site.server.url, account);
    return page;
  };

  it.skipIf(!FASHION)("uploads a Fashion-MNIST subset through the page and sees its data-quality panel (1280 and 390 px, axe clean)", async () => {
    const page = await signedInPage(1280);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "My datasets" }).click();
    await page.waitForURL(`${site.server.url}${COURSE}/datasets`);
    await checkA11y(page, "My datasets (empty) at 1280");
    await uploadDataset(page, { name: "Five kinds of clothing", inputSize: "32", grayscale: true, zip: fashionZip.path, timeoutMs: 120_000 });
    const panel = page.getByTestId("quality-panel");
    await panel.waitFor();
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Five kinds of clothing");
    // 300 photos a class: 45 validation and 45 test each, the rest training.
    expect(await page.getByTestId("split-sizes").textContent()).toBe("1050 / 225 / 225");
    expect(await page.getByTestId("imbalance").textContent()).toBe("1.00");
    expect(await page.getByTestId("original-sizes").textContent()).toMatch(/^Every image is 28×28 pixels\. Each is resized to 32×32; images smaller than that are enlarged/);
    expect(await panel.getByText("None: every file in the class folders was a readable image.").isVisible()).toBe(true);
    expect(await panel.getByText(/No exact or near duplicates were found/).isVisible()).toBe(true);
    expect(await imagesLoaded(page, '[data-testid="class-thumbnails"] img')).toBe(30);
    // The chart's numbers behind "Show data".
    const chart = page.locator('[data-chart="class-counts"]');
    await chart.getByText("Show data").click();
    const rows = await chart.locator("tbody tr").allTextContents();
    expect(rows).toEqual(["bag30021045450", "coat30021045450", "dress30021045450", "shirt30021045450", "sneaker30021045450"]);
    await checkA11y(page, "dataset page at 1280");
    await screenshot(page, "own-dataset-1280");
    await page.setViewportSize({ width: 390, height: 844 });
    await checkA11y(page, "dataset page at 390");
    await screenshot(page, "own-dataset-390");
    await page.goto(`${site.server.url}${COURSE}/datasets`);
    expect(await page.getByRole("link", { name: "Five kinds of clothing" }).isVisible()).toBe(true);
    await checkA11y(page, "My datasets at 390");
    await screenshot(page, "own-datasets-list-390");
    await page.context().close();
  }, 300_000);

  it.skipIf(!FASHION)("names skipped files and shows both images of a duplicate pair", async () => {
    // The same photos with one copied under a second name, a text file, and a broken image.
    const files = await readZip(fashionZip.path);
    const extra: Record<string, Buffer> = {};
    const [first] = [...files.keys()].filter((n) => n.startsWith("coat/"));
    extra[`coat/copy-of-${path.basename(first!)}`] = files.get(first!)!;
    extra["bag/notes.txt"] = Buffer.from("photos from the shop");
    extra["dress/broken.jpg"] = Buffer.from("not a jpeg");
    const zip = await deflatedZip([...[...files].map(([name, data]) => ({ name, data })), ...Object.entries(extra).map(([name, data]) => ({ name, data }))]);
    const page = await signedInPage(1280);
    await page.goto(`${site.server.url}${COURSE}/datasets`);
    await page.getByLabel("Name").fill("Clothing with a copy");
    await page.getByLabel("Zip of class folders").setInputFiles({ name: "clothing-copy.zip", mimeType: "application/zip", buffer: zip });
    await page.getByRole("button", { name: "Upload and check" }).click();
    await page.waitForURL(/\/datasets\/[0-9a-f-]{36}$/, { timeout: 120_000 });
    const skipped = page.getByTestId("skipped-files");
    expect(await skipped.textContent()).toContain("bag/notes.txt");
    expect(await skipped.textContent()).toContain("dress/broken.jpg");
    const duplicates = page.getByTestId("duplicates");
    expect(await duplicates.textContent()).toContain(`coat/copy-of-${path.basename(first!)}`);
    expect(await duplicates.textContent()).toMatch(/is an exact copy of/);
    expect(await imagesLoaded(page, '[data-testid="duplicates"] img')).toBeGreaterThanOrEqual(2);
    await checkA11y(page, "dataset with duplicates at 1280");
    await screenshot(page, "own-dataset-duplicates-1280");
    await page.setViewportSize({ width: 390, height: 844 });
    await checkA11y(page, "dataset with duplicates at 390");
    await screenshot(page, "own-dataset-duplicates-390");

    // Delete it, with the confirm step, from the keyboard.
    const thumbnail = await duplicates.locator("img").first().getAttribute("src");
    await page.getByRole("button", { name: "Delete this dataset…" }).focus();
    await page.keyboard.press("Enter");
    await page.getByRole("button", { name: "Yes, delete it" }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Yes, delete it");
    await page.keyboard.press("Enter");
    await page.waitForURL(`${site.server.url}${COURSE}/datasets`);
    await page.getByRole("link", { name: "Five kinds of clothing" }).waitFor();
    expect(await page.getByRole("link", { name: "Clothing with a copy" }).count()).toBe(0);
    const gone = await fetch(`${site.server.url}${thumbnail}`, { headers: { cookie: site.cookie } });
    expect(gone.status).toBe(404);
    await page.context().close();
  }, 300_000);

  it("shows a field's error on that field", async () => {
    const page = await signedInPage(1280);
    await page.goto(`${site.server.url}${COURSE}/datasets`);
    const tooFew = await deflatedZip([
      ...(await Promise.all(Array.from({ length: 9 }, async (_, i) => ({ name: `cats/${i}.png`, data: await sharp({ create: { width: 20, height: 20 + i, channels: 3, background: { r: i * 20, g: 10, b: 200 } } }).png().toBuffer() })))),
      { name: "dogs/0.png", data: await sharp({ create: { width: 20, height: 20, channels: 3, background: "#ff0000" } }).png().toBuffer() },
    ]);
    await page.getByLabel("Zip of class folders").setInputFiles({ name: "few-dogs.zip", mimeType: "application/zip", buffer: tooFew });
    await page.getByRole("button", { name: "Upload and check" }).click();
    const error = page.locator("p", { hasText: "dogs/: 1 usable image(s); each class needs at least 8" });
    await error.waitFor({ timeout: 60_000 });
    // The message is the file input's description, so a screen reader reads it with the field.
    const describedBy = await page.getByLabel("Zip of class folders").getAttribute("aria-describedby");
    expect(describedBy).toBe(await error.getAttribute("id"));
    expect(await page.getByLabel("Zip of class folders").getAttribute("aria-invalid")).toBe("true");
    await checkA11y(page, "upload form with an error");
    await screenshot(page, "own-datasets-error-1280");
    await page.context().close();
  }, 120_000);

  it("keeps a dataset from everyone but its owner and the course's instructors: pages, thumbnails and delete are a 404", async () => {
    // A dataset of the demo student's, uploaded over HTTP (works without Fashion-MNIST).
    const png = (i: number) => sharp({ create: { width: 24, height: 24, channels: 3, background: { r: (i * 37) % 255, g: (i * 91) % 255, b: (i * 53) % 255 } } })
      .composite([{ input: Buffer.from(`<svg width="24" height="24"><circle cx="${4 + (i % 16)}" cy="${4 + ((i * 7) % 16)}" r="3" fill="white"/></svg>`), top: 0, left: 0 }]).png().toBuffer();
    const zip = await deflatedZip(await Promise.all(Array.from({ length: 20 }, async (_, i) => ({ name: `${i % 2 ? "odd" : "even"}/${i}.png`, data: await png(i) }))));
    const res = await postForm(site.server.url, UPLOAD, site.cookie, { archive: new File([new Uint8Array(zip)], "dots.zip", { type: "application/zip" }), inputSize: "32", colour: "colour", name: "Dots" });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const page = `${COURSE}/datasets/${id}`;
    const thumbs = await (await fetch(site.server.url + page, { headers: { cookie: site.cookie } })).text();
    const thumbnail = /\/api\/courses\/cv-fundamentals\/datasets\/[0-9a-f-]{36}\/thumbnails\/\d+\.png/.exec(thumbs)?.[0];
    expect(thumbnail).toBeTruthy();
    expect((await fetch(site.server.url + thumbnail!, { headers: { cookie: site.cookie } })).headers.get("content-type")).toBe("image/png");

    // A classmate: signs up and joins with the course's code.
    const email = `classmate-${crypto.randomUUID().slice(0, 8)}@tensorgrade.dev`;
    const browserPage = await site.browser.newPage();
    await browserPage.goto(`${site.server.url}/signup`);
    await browserPage.getByLabel("Name").fill("Casey Classmate");
    await browserPage.getByLabel("Email").fill(email);
    await browserPage.getByLabel("Password (10+ characters)").fill("classmate-password");
    await browserPage.getByRole("button", { name: "Create account" }).click();
    await browserPage.waitForURL((u) => u.pathname === "/courses", { timeout: 30_000 });
    // Not in the course yet: the datasets pages are a 404 and an upload a 403.
    const outsider = await sessionCookie(site.server.url, { email, password: "classmate-password" });
    for (const p of [`${COURSE}/datasets`, page]) expect((await fetch(site.server.url + p, { headers: { cookie: outsider } })).status, p).toBe(404);
    const outsiderUpload = await postForm(site.server.url, UPLOAD, outsider, { archive: new File([new Uint8Array(zip)], "dots.zip", { type: "application/zip" }), inputSize: "32", colour: "colour" });
    expect(outsiderUpload.status).toBe(403);
    const instructor = await sessionCookie(site.server.url, DEMO_INSTRUCTOR);
    const dashboard = await (await fetch(`${site.server.url}/instructor`, { headers: { cookie: instructor } })).text();
    await browserPage.getByLabel("Join code").fill(/data-testid="join-code"[^>]*>([A-Z0-9]{6,12})</.exec(dashboard)![1]!);
    await browserPage.getByRole("button", { name: "Join" }).click();
    await browserPage.waitForURL((u) => u.pathname === "/courses/cv-fundamentals", { timeout: 30_000 });
    await browserPage.close();
    const classmate = await sessionCookie(site.server.url, { email, password: "classmate-password" });

    for (const p of [page, thumbnail!]) {
      const r = await fetch(site.server.url + p, { headers: { cookie: classmate } });
      expect(r.status, p).toBe(404);
      await r.body?.cancel();
    }
    const del = await fetch(`${site.server.url}/api/courses/cv-fundamentals/datasets/${id}`, { method: "DELETE", headers: { cookie: classmate, origin: site.server.url } });
    expect(del.status).toBe(404);
    const list = await (await fetch(`${site.server.url}${COURSE}/datasets`, { headers: { cookie: classmate } })).text();
    expect(list).not.toContain(id);
    expect(list).toContain("You have not uploaded a dataset yet.");

    // The course's instructor sees it, with its owner, on the list and its page.
    const forInstructor = await (await fetch(`${site.server.url}${COURSE}/datasets`, { headers: { cookie: instructor } })).text();
    expect(forInstructor).toContain(id);
    expect(forInstructor).toContain(DEMO_STUDENT.name);
    expect((await fetch(site.server.url + page, { headers: { cookie: instructor } })).status).toBe(200);
    expect((await fetch(site.server.url + thumbnail!, { headers: { cookie: instructor } })).status).toBe(200);

    // Signed out: the page asks to sign in, the routes are a 401.
    const signedOut = await fetch(site.server.url + page, { redirect: "manual" });
    expect([302, 303, 307]).toContain(signedOut.status);
    expect(signedOut.headers.get("location")).toMatch(/\/signin/);
    expect((await fetch(site.server.url + thumbnail!)).status).toBe(401);
    expect((await postForm(site.server.url, UPLOAD, "", { name: "x" })).status).toBe(401);
    // From another site, even signed in: refused.
    const crossSite = await fetch(`${site.server.url}/api/courses/cv-fundamentals/datasets/${id}`, { method: "DELETE", headers: { cookie: site.cookie, origin: "https://evil.example" } });
    expect(crossSite.status).toBe(403);
    // The owner deletes it.
    const mine = await fetch(`${site.server.url}/api/courses/cv-fundamentals/datasets/${id}`, { method: "DELETE", headers: { cookie: site.cookie, origin: site.server.url } });
    expect(mine.status).toBe(200);
    expect((await fetch(site.server.url + page, { headers: { cookie: site.cookie } })).status).toBe(404);
  }, 180_000);

  it("answers hostile uploads with a 4xx and a message while the server keeps serving", async () => {
    const send = async (file: File) => {
      const started = performance.now();
      const res = await postForm(site.server.url, UPLOAD, site.cookie, { archive: file, inputSize: "32", colour: "colour" });
      const body = (await res.json().catch(() => ({}))) as { error?: string; issues?: { path: string; message: string }[] };
      return { status: res.status, error: body.error ?? "", ms: performance.now() - started };
    };
    const zip = (bytes: Buffer, name = "upload.zip") => new File([new Uint8Array(bytes)], name, { type: "application/zip" });
    const stillServing = async () => {
      const r = await fetch(`${site.server.url}${COURSE}/datasets`, { headers: { cookie: site.cookie } });
      expect(r.status).toBe(200);
      expect(await r.text()).toContain("My datasets");
      expect(site.server.logs()).not.toMatch(/FATAL ERROR|Fatal JavaScript/);
    };
    // A bomb: 1 GB of zeros in about 1 MB.
    const bomb = await send(zip(await deflatedZip([{ name: "cats/0.png", zeros: 1024 * 1024 * 1024 }])));
    expect(bomb.status).toBe(422);
    expect(bomb.error).toMatch(/cats\/0\.png/);
    await stillServing();
    // Thousands of tiny entries: past the 7,000 files and folders of the lesson's cap.
    const flood = await send(zip(folderZip(8_000)));
    expect(flood.status).toBe(422);
    expect(flood.error).toMatch(/more than 7000 files and folders/);
    // 6,500 tiny "images" (within the entry cap, past the 6,000-image cap).
    const tiny = await send(zip(await deflatedZip(Array.from({ length: 6_500 }, (_, i) => ({ name: `c${i % 2}/${i}.png`, data: "x" })))));
    expect(tiny.status).toBe(422);
    expect(tiny.error).toMatch(/6500 images; the limit is 6000/);
    // Nothing but text files, and a file that is not a zip at all.
    const texts = await send(zip(await deflatedZip([{ name: "cats/a.txt", data: "meow" }, { name: "dogs/b.txt", data: "woof" }])));
    expect(texts.status).toBe(422);
    expect(texts.error).toMatch(/cats\/a\.txt: not a \.png, \.jpg or \.webp image/);
    const notZip = await send(new File([new Uint8Array(Buffer.from("%PDF-1.4 not a zip"))], "report.zip", { type: "application/zip" }));
    expect(notZip.status).toBe(422);
    // Past 60 MB: refused while it streams.
    const big = await send(zip(Buffer.alloc(61 * 1024 * 1024)));
    expect(big.status).toBe(413);
    await stillServing();
  }, 300_000);
});
