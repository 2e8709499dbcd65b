// A reader's path through the sample site, clicking as a person would:
// home -> story -> company -> person, back along a backlink, the timeline,
// the header's search box; and the pager of a generated site.

import { assert, equal } from "./lib.mjs";
import { query } from "./search.mjs";

/// Clicks the first link matching `selector` and waits for the new page.
async function follow(page, selector, what) {
  const link = page.locator(selector).first();
  assert((await link.count()) > 0, `${what}: no link matches ${selector} on ${page.url()}`);
  const href = await link.getAttribute("href");
  const text = (await link.innerText()).trim();
  const before = page.url();
  const want = new URL(href, before).href;
  await Promise.all([page.waitForURL((u) => u.href !== before, { waitUntil: "load" }), link.click()]);
  equal(page.url(), want, `${what}: address after clicking "${text}"`);
  return text;
}

async function h1(page) {
  return (await page.locator("main h1").first().innerText()).trim();
}

export async function journey(run, browser, sample, generated) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();

  await run.check("journey: home lists the latest stories and every collection", async () => {
    await page.goto(sample.url);
    assert((await page.locator(".latest a.item-title").count()) > 0, "no story under Latest");
    const nav = await page.locator("nav.site-nav a").allInnerTexts();
    for (const c of ["Stories", "Companies", "People", "Topics", "Timeline"]) {
      assert(nav.includes(c), `main navigation lacks ${c}: ${nav.join(", ")}`);
    }
  });

  let story = "", storyUrl = "", company = "", person = "";
  await run.check("journey: home -> story", async () => {
    await page.goto(sample.url);
    story = await follow(page, ".latest a.item-title", "home to story");
    storyUrl = page.url();
    equal(await h1(page), story, "story heading");
    assert(storyUrl.includes("/stories/"), `not a story: ${storyUrl}`);
    assert((await page.locator(".note-body p").count()) > 0, "story has no body");
  });

  await run.check("journey: story -> company (linked notes)", async () => {
    await page.goto(storyUrl);
    company = await follow(page, ".refs .group.c-companies a", "story to company");
    equal(await h1(page), company, "company heading");
    equal((await page.locator(".kicker").textContent()).trim(), "Companies", "company kicker");
  });

  await run.check("journey: company -> person", async () => {
    person = await follow(page, ".refs .group.c-people a", "company to person");
    equal(await h1(page), person, "person heading");
    assert(page.url().includes("/people/"), `not a person: ${page.url()}`);
  });

  await run.check("journey: person's backlinks lead back to the company and the story", async () => {
    const personUrl = page.url();
    const back = page.locator(".backlinks a", { hasText: company });
    assert((await back.count()) > 0, `${person} is not "mentioned in" ${company}`);
    await follow(page, `.backlinks a:text-is("${company}")`, "backlink to company");
    equal(await h1(page), company, "heading after the backlink");
    await page.goto(personUrl);
    const toStory = page.locator(".backlinks .c-stories a", { hasText: story });
    assert((await toStory.count()) > 0, `${person}'s backlinks do not list the story "${story}"`);
    await follow(page, `.backlinks .c-stories a:text-is("${story}")`, "backlink to story");
    equal(page.url(), storyUrl, "backlink address");
  });

  await run.check("journey: timeline groups every story by month, newest first", async () => {
    await page.goto(sample.url);
    await follow(page, 'nav.site-nav a:text-is("Timeline")', "navigation to timeline");
    equal(await page.locator("body").getAttribute("class"), "kind-timeline", "page kind");
    const stamps = await page.locator("main time").evaluateAll((ts) => ts.map((t) => t.getAttribute("datetime")));
    assert(stamps.length >= 3, `only ${stamps.length} dated entries`);
    const sorted = [...stamps].sort().reverse();
    equal(stamps.join(","), sorted.join(","), "timeline order");
    const months = await page.locator("main h2").allInnerTexts();
    assert(months.some((m) => /\b(19|20)\d\d\b/.test(m)), `no month headings: ${months.join(" | ")}`);
    await follow(page, `main a:text-is("${story}")`, "timeline to story");
    equal(page.url(), storyUrl, "timeline link address");
  });

  await run.check("journey: the header's search box opens search results", async () => {
    await page.goto(storyUrl);
    const box = page.locator("header .site-search input[name=q]");
    await box.fill("NetEase");
    await Promise.all([page.waitForURL(/\/search\/\?q=NetEase/), box.press("Enter")]);
    const titles = (await query(page, "NetEase", false)).results.map((r) => r.title);
    assert(titles.includes("NetEase"), `no NetEase among results: ${titles.join(" | ")}`);
  });

  await run.check("journey: pagination walks every story of a generated site once", async () => {
    await page.goto(generated.url);
    await follow(page, 'nav.site-nav a:text-is("Stories")', "navigation to stories");
    const seen = new Set();
    let pages = 0;
    for (;;) {
      pages += 1;
      const urls = await page.locator("main ul.items a.item-title").evaluateAll((as) => as.map((a) => a.href));
      assert(urls.length > 0 && urls.length <= generated.per_page, `page ${pages} shows ${urls.length} stories`);
      for (const u of urls) {
        assert(!seen.has(u), `${u} appears on two pages`);
        seen.add(u);
      }
      const current = await page.locator('.pager [aria-current="page"]').innerText();
      equal(current.trim(), String(pages), "current page number");
      equal(await page.locator(".pager a[rel=prev]").count(), pages === 1 ? 0 : 1, `previous link on page ${pages}`);
      if ((await page.locator(".pager a[rel=next]").count()) === 0) break;
      await follow(page, ".pager a[rel=next]", `page ${pages} to ${pages + 1}`);
      assert(page.url().endsWith(`/stories/page/${pages + 1}/`), `page ${pages + 1} address: ${page.url()}`);
    }
    equal(seen.size, generated.stories, "stories reached through the pager");
    equal(pages, Math.ceil(generated.stories / generated.per_page), "pages");
    await follow(page, ".pager a[rel=prev]", "back a page");
    await follow(page, ".pager a:not([rel])", "to page 1");
    assert(page.url().endsWith("/stories/"), `page 1 address: ${page.url()}`);
  });

  await context.close();
}
