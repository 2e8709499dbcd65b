// The default theme as delivered: page weight, meta description and Open
// Graph tags from the note's summary, the favicon, dark mode, the 404 page,
// and screenshots for people to look at.

import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { assert, equal, colours, contrast, parseColor } from "./lib.mjs";

/// Page weight limit for a story page: HTML + CSS + JS, before compression.
const WEIGHT_LIMIT = 50 * 1000;

/// Every note of a site's content with a written `summary`, as
/// {rel, summary}: `content/<collection>/<file>.md` is at `<collection>/<slug>/`.
function writtenSummaries(root) {
  const out = [];
  const content = join(root, "content");
  for (const coll of readdirSync(content, { withFileTypes: true })) {
    if (!coll.isDirectory()) continue;
    for (const f of readdirSync(join(content, coll.name))) {
      if (!f.endsWith(".md") || f === "_index.md") continue;
      const text = readFileSync(join(content, coll.name, f), "utf8");
      const fm = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text);
      if (!fm) continue;
      const line = /^summary:[ \t]*(.+)$/m.exec(fm[1]);
      if (!line) continue;
      const raw = line[1].trim();
      const summary = raw.startsWith('"') ? JSON.parse(raw) : raw.startsWith("'") ? raw.slice(1, -1).replace(/''/g, "'") : raw;
      const slug = (/^slug:[ \t]*(\S+)/m.exec(fm[1]) || [, f.slice(0, -3)])[1];
      out.push({ rel: `${coll.name}/${slug}/`, summary });
    }
  }
  return out;
}

async function weigh(browser, url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const seen = [];
  page.on("response", (r) => {
    const type = r.request().resourceType();
    seen.push(r.body().then((b) => ({ url: r.url(), type, bytes: b.length })).catch(() => ({ url: r.url(), type, bytes: 0 })));
  });
  await page.goto(url, { waitUntil: "networkidle" });
  const files = await Promise.all(seen);
  await context.close();
  const counted = files.filter((f) => ["document", "stylesheet", "script"].includes(f.type));
  return {
    bytes: counted.reduce((s, f) => s + f.bytes, 0),
    parts: counted.map((f) => `${f.type} ${f.bytes}`).join(" + "),
    other: files.filter((f) => !counted.includes(f)).map((f) => `${f.type} ${f.url} ${f.bytes}`),
  };
}

export async function theme(run, browser, sample, pages, shots) {
  const stories = pages.filter((p) => /^stories\/(?!page\/)[^/]+\/$/.test(p));

  await run.check(`theme: every story page weighs under ${WEIGHT_LIMIT} bytes (HTML + CSS + JS)`, async () => {
    assert(stories.length > 0, "no story pages");
    let heaviest = null;
    const over = [];
    for (const rel of stories) {
      const w = await weigh(browser, sample.url + rel);
      if (!heaviest || w.bytes > heaviest.bytes) heaviest = { rel, ...w };
      if (w.bytes >= WEIGHT_LIMIT) over.push(`${rel}: ${w.bytes} bytes (${w.parts})`);
    }
    run.figure("heaviest story page", `${heaviest.bytes} B (${heaviest.parts}) at ${heaviest.rel}`);
    assert(over.length === 0, over.join("\n"));
  });

  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();

  await run.check("theme: meta description and Open Graph tags come from the note's summary", async () => {
    const notes = writtenSummaries(sample.root);
    assert(notes.length >= 5, `only ${notes.length} notes with a summary`);
    const wrong = [];
    for (const { rel, summary } of notes) {
      await page.goto(sample.url + rel);
      const tags = await page.evaluate(() => {
        const meta = (sel) => {
          const el = document.querySelector(sel);
          return el ? el.getAttribute("content") : null;
        };
        const canon = document.querySelector('link[rel="canonical"]');
        return {
          description: meta('meta[name="description"]'),
          ogDescription: meta('meta[property="og:description"]'),
          ogTitle: meta('meta[property="og:title"]'),
          ogType: meta('meta[property="og:type"]'),
          ogUrl: meta('meta[property="og:url"]'),
          ogSite: meta('meta[property="og:site_name"]'),
          canonical: canon && canon.getAttribute("href"),
          h1: document.querySelector("main h1").textContent.trim(),
          descriptions: document.querySelectorAll('meta[name="description"]').length,
        };
      });
      const expect = {
        description: summary,
        ogDescription: summary,
        ogTitle: tags.h1,
        ogType: "article",
        ogUrl: page.url(),
        canonical: page.url(),
        descriptions: 1,
      };
      for (const [k, v] of Object.entries(expect)) {
        if (tags[k] !== v) wrong.push(`${rel}: ${k} is ${JSON.stringify(tags[k])}, expected ${JSON.stringify(v)}`);
      }
      if (!tags.ogSite) wrong.push(`${rel}: no og:site_name`);
    }
    assert(wrong.length === 0, wrong.join("\n"));
  });

  await run.check("theme: every page links a favicon that loads", async () => {
    const missing = pages.filter((rel) => {
      const file = join(sample.dir, rel.endsWith("/") || rel === "" ? `${rel}index.html` : rel);
      return !/<link rel="icon"[^>]*href="[^"]+"/.test(readFileSync(file, "utf8"));
    });
    assert(missing.length === 0, `pages without <link rel="icon">: ${missing.join(", ")}`);
    await page.goto(sample.url);
    const href = await page.locator('link[rel="icon"]').getAttribute("href");
    const res = await page.request.get(new URL(href, page.url()).href);
    equal(res.status(), 200, `favicon ${href} status`);
    assert(/^image\//.test(res.headers()["content-type"] || ""), `favicon type: ${res.headers()["content-type"]}`);
    assert((await res.body()).length > 0, "empty favicon");
    assert(existsSync(join(sample.dir, new URL(href, page.url()).pathname.replace(/^\/[^/]+\//, ""))), "favicon file is not in the output");
  });

  await run.check("theme: dark mode changes the background and keeps text readable", async () => {
    const dark = await browser.newContext({ colorScheme: "dark", viewport: { width: 1280, height: 800 } });
    const dpage = await dark.newPage();
    const story = stories[0];
    const problems = [];
    for (const rel of ["", story]) {
      await page.goto(sample.url + rel);
      await dpage.goto(sample.url + rel);
      const light = await colours(page, "body");
      const night = await colours(dpage, "body");
      if (light.bg === night.bg) problems.push(`${rel || "home"}: same background in both modes (${light.bg})`);
      const lum = (c) => parseColor(c).slice(0, 3).reduce((s, x) => s + x, 0);
      if (!(lum(night.bg) < lum(light.bg))) problems.push(`${rel || "home"}: dark background ${night.bg} is not darker than ${light.bg}`);
      for (const sel of ["body", "main h1", "main p", "main a", "main time", ".site-nav a", ".site-footer p", ".label"]) {
        const c = await colours(dpage, sel);
        if (!c) continue;
        const ratio = contrast(parseColor(c.fg), parseColor(c.bg));
        if (ratio < 4.5) problems.push(`${rel || "home"}: "${sel}" ${c.fg} on ${c.bg} has contrast ${ratio.toFixed(2)} < 4.5 in dark mode`);
      }
    }
    await dpage.goto(sample.url);
    await dpage.screenshot({ path: `${shots}/home-dark.png` });
    await dark.close();
    assert(problems.length === 0, problems.join("\n"));
  });

  await run.check("theme: a missing address gets the 404 page, whose links all work from anywhere", async () => {
    const res = await page.goto(`${sample.url}no/such/page/`);
    equal(res.status(), 404, "status");
    equal(await page.locator("body").getAttribute("class"), "kind-404", "page kind");
    const hrefs = await page.locator("a[href]").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    const relative = hrefs.filter((h) => !/^(\/|https?:|#)/.test(h));
    assert(relative.length === 0, `relative links on the 404 page: ${relative.join(", ")}`);
    await Promise.all([page.waitForURL(sample.url), page.locator(".brand").click()]);
  });

  await run.check("theme: screenshots of the home, a company, a story and a phone", async () => {
    await page.goto(sample.url);
    await page.screenshot({ path: `${shots}/home.png` });
    await page.goto(`${sample.url}companies/alibaba/`);
    await page.screenshot({ path: `${shots}/company.png` });
    await page.goto(sample.url);
    await page.locator(".latest a.item-title").first().click();
    await page.waitForURL(/\/stories\//);
    await page.screenshot({ path: `${shots}/story.png` });
    await page.screenshot({ path: `${shots}/story-full.png`, fullPage: true });
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(sample.url);
    await page.screenshot({ path: `${shots}/home-375.png` });
  });

  await context.close();
}
