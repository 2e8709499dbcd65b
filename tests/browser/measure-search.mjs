// Bytes a reader downloads per search query on a served site, measured in
// headless Chromium on a cold cache: search.js, meta.json, the index shards
// the query's terms fall in and one file per shown result.
//
//   node tests/browser/measure-search.mjs SITE_URL [QUERY...]
//
// Without queries it measures a company's name (from the site's companies
// list), a common word and a two-word query. scripts/search-bytes.sh runs it
// on a 10,000-story generated site.

import { launch } from "./lib.mjs";
import { bytesPerQuery, formatBytes } from "./search.mjs";

const [url, ...given] = process.argv.slice(2);
if (!url || !url.endsWith("/")) {
  console.error("usage: node tests/browser/measure-search.mjs SITE_URL/ [QUERY...]");
  process.exit(2);
}
const site = { name: url, url };
const browser = await launch();
try {
  let queries = given;
  if (queries.length === 0) {
    const page = await browser.newPage();
    await page.goto(`${url}companies/`);
    const company = (await page.locator("main a.item-title").first().innerText()).trim();
    await page.close();
    queries = [company, "cloud", "chips export"];
  }
  const all = [];
  for (const q of queries) {
    const m = await bytesPerQuery(browser, site, q);
    all.push(m);
    console.log(formatBytes(m));
  }
  const mean = Math.round(all.reduce((s, m) => s + m.total, 0) / all.length);
  console.log(`mean: ${mean} B per query over ${all.length} queries`);
} finally {
  await browser.close();
}
