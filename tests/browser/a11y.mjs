// axe-core on one page of every kind (and a note of every collection), in
// light and dark mode: no serious or critical violation.

import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { assert } from "./lib.mjs";
import { openSearch, query } from "./search.mjs";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

async function violations(page) {
  const result = await page.evaluate(() =>
    window.axe.run(document, { resultTypes: ["violations"] }).then((r) =>
      r.violations
        .filter((v) => v.impact === "serious" || v.impact === "critical")
        .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("; ")}${v.nodes.length > 3 ? "; …" : ""})`),
    ),
  );
  return result;
}

/// `targets`: [{site, label, rel, search?}]; `search` types a query first.
/// Each page is loaded once and checked in light, then dark mode.
export async function a11y(run, browser, targets) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const found = { light: [], dark: [] };
  for (const t of targets) {
    await page.emulateMedia({ colorScheme: "light" });
    if (t.search) {
      await openSearch(page, t.site);
      await query(page, t.search);
    } else {
      await page.goto(t.site.url + t.rel);
    }
    await page.addScriptTag({ content: AXE });
    for (const colorScheme of ["light", "dark"]) {
      await page.emulateMedia({ colorScheme });
      for (const v of await violations(page)) found[colorScheme].push(`${t.label} (${t.site.name}/${t.rel}): ${v}`);
    }
  }
  await context.close();
  for (const colorScheme of ["light", "dark"]) {
    await run.check(`axe (${colorScheme}): no serious or critical violation on ${targets.length} pages`, async () => {
      assert(found[colorScheme].length === 0, found[colorScheme].join("\n"));
    });
  }
}
