import { esc, ltiPage } from "./lti-page";

/**
 * What the LMS frame shows when the browser does not let it keep Tensorgrade's cookies (third-party
 * cookies blocked, even partitioned ones): a link that opens the launch in a window of its own
 * (`windowHref`, opened top-level, where cookies are first-party), and where the browser has the
 * Storage Access API a button that asks it to let the frame keep them, then starts again in the
 * frame (`retryHref`).
 */
export function openInWindowPage(opts: { launchingAs?: string; windowHref: string; retryHref: string; frameAncestors?: string[] }): Promise<Response> {
  const who = opts.launchingAs ? `<p>You are launching as <strong>${esc(opts.launchingAs)}</strong>.</p>` : "";
  return ltiPage({
    title: "Open Tensorgrade",
    frameAncestors: opts.frameAncestors,
    body:
      `<h1>Tensorgrade</h1>${who}` +
      `<p>Your browser does not let Tensorgrade keep its sign-in inside this LMS page (third-party cookies are blocked), so it opens in a window of its own.</p>` +
      `<p id="storage-access" hidden><button type="button" id="allow">Allow Tensorgrade here</button></p>` +
      `<p><a class="button" href="${esc(opts.windowHref)}" target="_blank" rel="noopener">Open Tensorgrade in a new window</a></p>`,
    script: `if (document.requestStorageAccess) { const p = document.getElementById("storage-access"); p.hidden = false; document.getElementById("allow").addEventListener("click", () => document.requestStorageAccess().then(() => location.replace(${JSON.stringify(opts.retryHref)}), () => { p.textContent = "The browser did not allow it; open Tensorgrade in a new window instead."; })); }`,
  });
}
