import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

export const CHROMIUM_PATH = "/usr/bin/chromium";
export const hasChromium = fs.existsSync(CHROMIUM_PATH);
export const ARTIFACTS_DIR = path.resolve(import.meta.dirname, "../../../test-artifacts");

/** Content-Security-Policy violations seen by each launched browser, in any page of any context. */
const cspViolationsSeen = new WeakMap<Browser, string[]>();

/**
 * Records every CSP violation a context's pages report — the `securitypolicyviolation` event, and
 * Chromium's console error for what it blocked — so a test can fail on a policy the pages do not pass.
 */
async function watchCsp(context: BrowserContext, seen: string[]): Promise<void> {
  await context.exposeBinding("__tgCspViolation", ({ page }, text: string) => {
    seen.push(`${page?.url() ?? "?"}: ${text}`);
  });
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      const report = (window as unknown as { __tgCspViolation(text: string): void }).__tgCspViolation;
      report(`${e.effectiveDirective} blocked ${e.blockedURI || "inline code"} at ${e.sourceFile || "?"}:${e.lineNumber}`);
    });
  });
  context.on("console", (msg) => {
    if (msg.type() === "error" && /Content Security Policy/i.test(msg.text())) seen.push(`${msg.page()?.url() ?? "?"}: ${msg.text()}`);
  });
}

/** The CSP violations every page of this browser has reported so far (see launchBrowser). */
export function cspViolations(browser: Browser): string[] {
  return [...(cspViolationsSeen.get(browser) ?? [])];
}

/**
 * Debian's Chromium, headless, with nothing that reaches the network on its own. Every page it
 * opens (browser.newPage or newContext) is watched for CSP violations: see cspViolations.
 */
export async function launchBrowser(): Promise<Browser> {
  const browser = await launchChromium();
  const seen: string[] = [];
  cspViolationsSeen.set(browser, seen);
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    await watchCsp(context, seen);
    return context;
  };
  // browser.newPage opens its page in a fresh context through this.newContext, so it is watched too
  // (playwright-core's Browser.newPage), and its context still closes with the page.
  return browser;
}

function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}

/** Signs in through the real sign-in form and waits for the course page. */
export async function signIn(page: Page, baseUrl: string, account: { email: string; password: string }) {
  await page.goto(`${baseUrl}/signin`);
  await page.getByLabel("Email", { exact: true }).fill(account.email);
  await page.getByLabel("Password", { exact: true }).fill(account.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL(/\/courses\//, { timeout: 30_000 });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Message printed when browser tests are skipped, so a skipped run is never mistaken for a pass. */
export const NO_CHROMIUM = `end-to-end tests skipped: ${CHROMIUM_PATH} not found (apt-get install -y chromium; .ci/run does this)`;
