// The browser suite: one headless Chromium for every check of the built
// sites that tests/browser.rs serves over HTTP.
//
//   node tests/browser/run.mjs CONFIG.json
//
// CONFIG (written by tests/browser.rs):
//   {
//     "screenshots": "target/screenshots",
//     "sample":    {"name", "url", "dir", "root"},      the repository's sample site
//     "generated": {"name", "url", "dir", "stories", "per_page"},   a gencorpus site
//     "fixtures":  [{"name", "url", "dir", "flawed"}],  tests/fixtures/<feature>/<case>;
//                  flawed: has pinned diagnostics (expected.txt), such as missing images
//     "serve":     {"url", "root", "note", "path"}      a running `brief serve`
//   }
// Every "url" ends in "/" and serves "dir" (a build output). Prints one line
// per check and "browser: N passed, M failed"; exits 1 when any failed.

import { mkdirSync, readFileSync } from "node:fs";
import { a11y } from "./a11y.mjs";
import { journey } from "./journey.mjs";
import { layout } from "./layout.mjs";
import { liveReload } from "./livereload.mjs";
import { htmlPages, launch, pageTypes, Runner, watchPage } from "./lib.mjs";
import { search } from "./search.mjs";
import { theme } from "./theme.mjs";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const { sample, generated, fixtures, serve, screenshots } = config;
mkdirSync(screenshots, { recursive: true });

// BRIEF_BROWSER_ONLY=journey,search runs only those parts (for debugging).
const only = (process.env.BRIEF_BROWSER_ONLY || "").split(",").filter(Boolean);
const want = (part) => only.length === 0 || only.includes(part);

const run = new Runner();
const started = Date.now();
const browser = await launch();
console.log(`chromium ${browser.version()}`);

// Script errors and failed requests on any page of any check fail the run,
// except the 404 test's own address and the images that a deliberately
// flawed fixture (one with pinned diagnostics) points at but lacks.
const flawed = fixtures.filter((f) => f.flawed).map((f) => f.url);
const expectedFailure = (r) =>
  r.status() === 404 &&
  ((r.request().resourceType() === "document" && r.url().includes("/no/such/")) ||
    (r.request().resourceType() === "image" && flawed.some((u) => r.url().startsWith(u))));
const problems = [];
browser.on("disconnected", () => problems.push("chromium exited"));
const newContext = browser.newContext.bind(browser);
browser.newContext = async (opts) => {
  const ctx = await newContext(opts);
  ctx.on("page", (p) => watchPage(p, problems, expectedFailure));
  return ctx;
};

try {
  const samplePages = htmlPages(sample.dir);
  const fixtureSites = fixtures.map((f) => ({ site: f, pages: htmlPages(f.dir) }));
  const genPages = htmlPages(generated.dir);
  const genSome = genPages.filter((p) => !/^(stories|companies|people|topics)\/(?!page\/)[^/]+\/$/.test(p)).concat(
    genPages.filter((p) => /^stories\/[^/]+\/$/.test(p) && !p.startsWith("stories/page/")).slice(0, 5),
  );

  if (want("journey")) await journey(run, browser, sample, generated);
  if (want("search")) await search(run, browser, sample, generated, fixtures, screenshots);

  // axe: a page of every kind, a note of every collection, search results.
  const targets = [];
  for (const s of [{ site: sample, pages: samplePages }, ...fixtureSites]) {
    for (const { key, rel } of pageTypes(s.site.dir, s.pages)) {
      if (s.site !== sample && targets.some((t) => t.label === key)) continue;
      targets.push({ site: s.site, label: key, rel });
    }
  }
  targets.push({ site: sample, label: "search results", rel: "search/", search: "Alibaba" });
  targets.push({ site: generated, label: "paged list", rel: "stories/page/2/" });
  // Highlighted code and footnotes, in both colour schemes.
  const links = fixtures.find((f) => f.name === "links-basic");
  if (links) targets.push({ site: links, label: "code and footnotes", rel: "stories/older/" });
  for (const need of ["code and footnotes", "home", "list", "note:stories", "note:companies", "note:people", "note:topics", "stub", "timeline", "search", "404"]) {
    await run.check(`axe covers ${need}`, async () => {
      if (!targets.some((t) => t.label === need || t.label.startsWith(`${need}:`))) {
        throw new Error(`no page of kind ${need} among ${targets.map((t) => t.label).join(", ")}`);
      }
    });
  }
  if (want("a11y")) await a11y(run, browser, targets);

  // Layout: every page of the sample, a page of every kind of each fixture.
  const fixtureKinds = fixtureSites.map(({ site, pages }) => ({ site, pages: pageTypes(site.dir, pages).map((t) => t.rel) }));
  if (want("layout")) await layout(run, browser, [{ site: sample, pages: samplePages }, ...fixtureKinds, { site: generated, pages: genSome }]);
  if (want("theme")) await theme(run, browser, sample, samplePages, screenshots);
  if (serve && want("serve")) await liveReload(run, browser, serve);

  await run.check("no script errors or failed requests on any page", async () => {
    if (problems.length) throw new Error([...new Set(problems)].slice(0, 30).join("\n"));
  });
} finally {
  await browser.close();
}
run.figure("browser suite time", `${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(run.summary() ? 0 : 1);
