// Every page fits a phone (375 px) and a desktop (1280 px) window: the
// document is never wider than the window, so nothing scrolls sideways.

import { assert, overflow } from "./lib.mjs";

const WIDTHS = [375, 1280];

/// `sites`: [{site, pages}]. Each page is loaded once and measured at both
/// widths (a resize only lays the page out again).
export async function layout(run, browser, sites) {
  const total = sites.reduce((n, s) => n + s.pages.length, 0);
  const context = await browser.newContext({ viewport: { width: WIDTHS[0], height: 800 } });
  const page = await context.newPage();
  await run.check(`layout: no horizontal overflow at ${WIDTHS.join(" or ")} px on ${total} pages`, async () => {
    const wide = [];
    for (const { site, pages } of sites) {
      for (const rel of pages) {
        await page.setViewportSize({ width: WIDTHS[0], height: 800 });
        await page.goto(site.url + rel);
        for (const width of WIDTHS) {
          if (width !== WIDTHS[0]) await page.setViewportSize({ width, height: 800 });
          const o = await overflow(page);
          if (o.extra > 0) wide.push(`${site.name}/${rel} at ${width} px: ${o.extra}px too wide; widest: ${JSON.stringify(o.worst)}`);
        }
      }
    }
    assert(wide.length === 0, wide.join("\n"));
  });
  await context.close();
}
