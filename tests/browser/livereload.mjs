// `brief serve` in a real browser: an open tab shows an edit to its note
// without the test navigating, a broken front matter brings up the error
// overlay in that tab, and fixing it takes the overlay away.

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { assert } from "./lib.mjs";

const WAIT = 10000;

/// `serve`: {url, root, note (path of a note file under root), path (its page)}.
export async function liveReload(run, browser, serve) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const file = join(serve.root, serve.note);
  const original = readFileSync(file, "utf8");
  let navigations = 0;
  page.on("framenavigated", (f) => {
    if (f === page.mainFrame()) navigations += 1;
  });

  await run.check("serve: the open tab shows an edited note without being told to reload", async () => {
    await page.goto(serve.url + serve.path);
    await page.waitForFunction(() => document.querySelector("script") !== null);
    const marker = `Edited while the tab was open ${Date.now()}`;
    assert(!(await page.content()).includes(marker), "marker already on the page");
    writeFileSync(file, `${original.trimEnd()}\n\n${marker}.\n`);
    await page.waitForFunction((m) => document.body && document.body.innerText.includes(m), marker, { timeout: WAIT });
    assert(navigations >= 2, "the page changed without reloading?");
  });

  await run.check("serve: a broken front matter shows the error overlay in the open tab", async () => {
    writeFileSync(file, original.replace(/^---\r?\n/, "---\ntitle: [unclosed\n"));
    const overlay = page.locator("#brief-error-overlay");
    await overlay.waitFor({ state: "visible", timeout: WAIT });
    const text = await overlay.innerText();
    assert(text.includes(serve.note.split("/").pop()), `the overlay does not name the file: ${text}`);
  });

  await run.check("serve: fixing the front matter removes the overlay", async () => {
    const marker = `Fixed ${Date.now()}`;
    writeFileSync(file, `${original.trimEnd()}\n\n${marker}.\n`);
    await page.locator("#brief-error-overlay").waitFor({ state: "detached", timeout: WAIT });
    await page.waitForFunction((m) => document.body.innerText.includes(m), marker, { timeout: WAIT });
  });

  writeFileSync(file, original);
  await context.close();
}
