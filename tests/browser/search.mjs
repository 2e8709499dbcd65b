// The search page as a reader uses it: typed queries (English and Chinese),
// result titles, collections and highlighted snippets, keyboard navigation,
// the collection filter, "Show more", and the bytes one query downloads.

import { assert, equal, overflow, pending } from "./lib.mjs";

/// Types `q` into the search box and waits until the results are shown.
/// Returns the count the status line announces and the shown results.
export async function query(page, q, fill = true) {
  if (fill) await page.locator("#search-input").fill(q);
  const shown = () =>
    page.evaluate(() => {
      const s = document.querySelector("#search-results .search-status");
      return `status "${s && s.textContent}", ${document.querySelectorAll("#search-results .search-list > li").length} results shown`;
    }).then((text) => `${text}; requests in flight: ${pending(page).join(", ") || "none"}`);
  await page.waitForFunction(
    (q) => {
      const status = document.querySelector("#search-results .search-status");
      if (!status || !status.textContent.includes(`“${q}”`)) return false;
      if (/^No notes/.test(status.textContent)) return true;
      const n = parseInt(status.textContent, 10);
      return document.querySelectorAll("#search-results .search-list > li").length === Math.min(n, 20);
    },
    q,
    { timeout: 10000 },
  ).catch(async (e) => {
    throw new Error(`query "${q}" on ${page.url()}: ${await shown()}: ${e.message.split("\n")[0]}`);
  });
  const status = await page.locator("#search-results .search-status").innerText();
  const results = await page.locator("#search-results .search-list > li").evaluateAll((lis) =>
    lis.map((li) => ({
      title: li.querySelector(".search-title").textContent,
      href: li.querySelector(".search-title a").getAttribute("href"),
      meta: li.querySelector(".search-meta").textContent,
      marks: Array.from(li.querySelectorAll(".search-snippet mark")).map((m) => m.textContent),
      // Each <mark> with the characters just before and after it.
      marked: (() => {
        let text = "";
        const out = [];
        for (const n of li.querySelector(".search-snippet").childNodes) {
          if (n.nodeName === "MARK") out.push({ at: text.length, word: n.textContent });
          text += n.textContent;
        }
        return out.map((m) => `${text[m.at - 1] || " "}[${m.word}]${text[m.at + m.word.length] || " "}`);
      })(),
      snippet: li.querySelector(".search-snippet").textContent,
    })),
  );
  const count = /^No notes/.test(status) ? 0 : parseInt(status, 10);
  return { count, results, status };
}

/// Opens the search page and waits for its index to load (the filter
/// appears once `meta.json` is in).
export async function openSearch(page, site) {
  await page.goto(`${site.url}search/`);
  await page.locator("#search-filter").waitFor({ timeout: 10000 });
}

function describe(results) {
  return results.slice(0, 5).map((r) => `${r.title} [${r.meta}]`).join(" | ");
}

/// Bytes a reader downloads for one query on a cold cache: search.js,
/// meta.json, one shard per term and one file per shown result.
export async function bytesPerQuery(browser, site, q) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const sizes = [];
  page.on("response", (r) => {
    const u = r.url();
    if (u.includes("/search/index/") || /\/search\.js(\?|$)/.test(u)) {
      sizes.push(r.body().then((b) => ({ url: u, bytes: b.length })));
    }
  });
  await openSearch(page, site);
  const { count, results } = await query(page, q);
  await page.waitForLoadState("networkidle");
  const files = await Promise.all(sizes);
  await context.close();
  const sum = (pred) => files.filter((f) => pred(f.url)).reduce((s, f) => s + f.bytes, 0);
  return {
    query: q,
    matches: count,
    shown: results.length,
    total: sum(() => true),
    script: sum((u) => /search\.js/.test(u)),
    meta: sum((u) => u.endsWith("/meta.json")),
    shards: sum((u) => u.includes("/index/t/")),
    shardFiles: files.filter((f) => f.url.includes("/index/t/")).length,
    docs: sum((u) => u.includes("/index/d/")),
    docFiles: files.filter((f) => f.url.includes("/index/d/")).length,
  };
}

export function formatBytes(m) {
  return `${m.total} B for "${m.query}" (${m.matches} matches, ${m.shown} shown): search.js ${m.script}, meta.json ${m.meta}, ${m.shardFiles} shard(s) ${m.shards}, ${m.docFiles} result file(s) ${m.docs}`;
}

export async function search(run, browser, sample, generated, fixtures, shots) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();

  await run.check("search: 阿里巴巴 finds Alibaba's note", async () => {
    await openSearch(page, sample);
    const { results } = await query(page, "阿里巴巴");
    assert(results.length > 0, "no results");
    equal(results[0].title, "Alibaba Group", `first result (${describe(results)})`);
    assert(results[0].href.endsWith("/companies/alibaba/"), `Alibaba's address: ${results[0].href}`);
    assert(results[0].meta.startsWith("Companies"), `Alibaba's collection: ${results[0].meta}`);
  });

  await run.check("search: 网易 finds NetEase's note", async () => {
    const { results } = await query(page, "网易");
    assert(results.length > 0, "no results");
    equal(results[0].title, "NetEase", `first result (${describe(results)})`);
    assert(results[0].meta.startsWith("Companies"), `NetEase's collection: ${results[0].meta}`);
  });

  await run.check("search: results show a title, a collection and a snippet with <mark>", async () => {
    const { count, results } = await query(page, "export controls");
    assert(count > 0 && results.length === Math.min(count, 20), `${count} matches, ${results.length} shown`);
    const collections = new Set(["Stories", "Companies", "People", "Organisations", "Places", "Topics", "Pages"]);
    for (const r of results) {
      assert(r.title.trim() && r.href, `a result without a title link: ${JSON.stringify(r)}`);
      assert(collections.has(r.meta.split(" · ")[0]), `unexpected collection line "${r.meta}"`);
      assert(r.snippet.trim().length > 0, `empty snippet for ${r.title}`);
    }
    const marked = results.filter((r) => r.marks.length > 0);
    assert(marked.length > 0 && marked[0] === results[0], `the first result has no <mark>: ${describe(results)}`);
    for (const r of marked) {
      for (const m of r.marks) assert(/^(export|control)/i.test(m), `<mark>${m}</mark> in ${r.title}`);
    }
  });

  await run.check("search: <mark> highlights whole words, not parts of words", async () => {
    const { results } = await query(page, "AI chips");
    const marks = results.flatMap((r) => r.marked);
    assert(marks.length > 0, "nothing highlighted");
    const inWords = marks.filter((m) => /[\p{L}\p{N}]\[|\][\p{L}\p{N}]/u.test(m));
    assert(inWords.length === 0, `highlights inside words: ${inWords.slice(0, 5).join(", ")}`);
    const stories = results.filter((r) => r.meta.startsWith("Stories"));
    assert(stories.every((r) => /^Stories · .*\b\d{4}$/.test(r.meta)), `story results lack dates: ${describe(stories)}`);
  });

  await run.check("search: a query with no match says so", async () => {
    const { count, status } = await query(page, "zzyzxqwv");
    equal(count, 0, "matches");
    assert(status.startsWith("No notes match"), `status: ${status}`);
  });

  await run.check("search: ArrowDown/ArrowUp move between the box and the results, Enter opens one", async () => {
    const { results } = await query(page, "Alibaba");
    assert(results.length >= 2, `need two results, got ${results.length}`);
    const input = page.locator("#search-input");
    await input.focus();
    const active = () => page.evaluate(() => {
      const a = document.activeElement;
      return a.id === "search-input" ? "input" : a.getAttribute("href");
    });
    await page.keyboard.press("ArrowDown");
    equal(await active(), results[0].href, "focus after ArrowDown");
    await page.keyboard.press("ArrowDown");
    equal(await active(), results[1].href, "focus after a second ArrowDown");
    await page.keyboard.press("ArrowUp");
    equal(await active(), results[0].href, "focus after ArrowUp");
    await page.keyboard.press("ArrowUp");
    equal(await active(), "input", "focus after ArrowUp from the first result");
    await page.keyboard.press("ArrowDown");
    await Promise.all([page.waitForURL((u) => !u.pathname.endsWith("/search/")), page.keyboard.press("Enter")]);
    equal(new URL(page.url()).pathname, results[0].href, "address after Enter on the first result");
  });

  await run.check("search: the collection filter keeps only that collection", async () => {
    await openSearch(page, sample);
    const all = await query(page, "Alibaba");
    const inAll = new Set(all.results.map((r) => r.meta.split(" · ")[0]));
    assert(inAll.size >= 2, `"Alibaba" should match several collections: ${describe(all.results)}`);
    for (const label of ["Companies", "People", "Stories"]) {
      await page.locator("#search-filter").selectOption({ label });
      await page.waitForFunction(
        (label) => Array.from(document.querySelectorAll("#search-results .search-meta")).every((m) => m.textContent.startsWith(label)) &&
          document.querySelectorAll("#search-results .search-meta").length > 0,
        label,
        { timeout: 10000 },
      );
      const n = await page.locator("#search-results .search-list > li").count();
      assert(n < all.results.length, `${label} filter shows ${n} of ${all.results.length}`);
    }
    await page.locator("#search-filter").selectOption({ value: "" });
    await page.waitForFunction(
      (n) => document.querySelectorAll("#search-results .search-list > li").length === n,
      all.results.length,
      { timeout: 10000 },
    );
  });

  await run.check("search: the results page fits a 375 px screen", async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    await openSearch(page, sample);
    await query(page, "Alibaba cloud");
    const o = await overflow(page);
    assert(o.extra === 0, `${o.extra}px too wide at 375px: ${JSON.stringify(o.worst)}`);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  await run.check("search: screenshot of the results", async () => {
    await openSearch(page, sample);
    await query(page, "AI chips");
    await page.screenshot({ path: `${shots}/search.png` });
  });

  await run.check("search: words with vowel signs (मुंबई) and a final sigma (ΟΔΟΣ) are found as the index has them", async () => {
    const site = fixtures.find((f) => f.name === "search-scripts");
    assert(site, "the search/scripts fixture is built");
    await openSearch(page, site);
    for (const q of ["मुंबई", "ΟΔΟΣ", "οδος"]) {
      const { results } = await query(page, q);
      equal(results.length, 1, `results for ${q} (${describe(results)})`);
      equal(results[0].title, "Two ports", `the result for ${q}`);
      assert(results[0].marks.length > 0, `a <mark> for ${q}: ${results[0].snippet}`);
    }
  });

  await run.check("search: a generated site finds a company by its name", async () => {
    await page.goto(`${generated.url}companies/`);
    const name = (await page.locator("main a.item-title").first().innerText()).trim();
    await openSearch(page, generated);
    const { results } = await query(page, name);
    const at = results.findIndex((r) => r.title === name);
    assert(at >= 0 && at < 3, `"${name}" is not among the first three results: ${describe(results)}`);
  });

  await run.check("search: a generated site pages its results and filters stories", async () => {
    await page.goto(`${generated.url}stories/`);
    const title = (await page.locator("main a.item-title").first().innerText()).trim();
    await openSearch(page, generated);
    let all = { count: 0 }, word = "";
    for (word of title.split(/\s+/).filter((w) => /^[A-Za-z]{4,}$/.test(w))) {
      all = await query(page, word);
      if (all.count > 20) break;
    }
    assert(all.count > 20, `no word of "${title}" matches more than 20 notes, so no second page to show`);
    await page.locator("#search-results .search-more").click();
    await page.waitForFunction(
      (n) => document.querySelectorAll("#search-results .search-list > li").length === n,
      Math.min(all.count, 40),
      { timeout: 10000 },
    );
    const titled = await query(page, title);
    await page.locator("#search-filter").selectOption({ label: "Stories" });
    await page.waitForFunction(
      (n) => {
        const m = Array.from(document.querySelectorAll("#search-results .search-meta"));
        return m.length > 0 && m.length <= n && m.every((x) => x.textContent.startsWith("Stories · "));
      },
      titled.results.length,
      { timeout: 10000 },
    );
    const shown = await page.locator("#search-results .search-title").allInnerTexts();
    assert(shown.slice(0, 3).includes(title), `"${title}" is not among the first three stories: ${shown.slice(0, 5).join(" | ")}`);
  });

  await context.close();

  await run.check("search: bytes downloaded per query", async () => {
    for (const [site, q] of [[sample, "Alibaba"], [sample, "阿里巴巴"], [generated, "cloud chips"]]) {
      const m = await bytesPerQuery(browser, site, q);
      run.figure(`search bytes on ${site.name}`, formatBytes(m));
      assert(m.meta > 0 && m.shards > 0, `index files not fetched: ${formatBytes(m)}`);
    }
  });
}
