// Shared pieces of the browser suite: launching Chromium, a tiny check
// runner, page helpers (overflow, contrast) and the list of a built site's
// pages. No test logic lives here.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { chromium } from "playwright-core";

/// Flags for Debian's Chromium running headless as root, with no traffic
/// beyond the loopback servers under test.
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/// Launches the system Chromium (never a downloaded one).
export function launch() {
  const executablePath = process.env.BRIEF_CHROMIUM || "/usr/bin/chromium";
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
}

export class AssertionError extends Error {}

export function assert(cond, message) {
  if (!cond) throw new AssertionError(message);
}

export function equal(actual, expected, what) {
  if (actual !== expected) {
    throw new AssertionError(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

/// Runs named checks, records failures without stopping, and prints one
/// line per check.
export class Runner {
  constructor() {
    this.passed = 0;
    this.failures = [];
    this.figures = [];
  }

  async check(name, fn) {
    const start = Date.now();
    try {
      await fn();
      this.passed += 1;
      console.log(`ok      ${name} (${Date.now() - start} ms)`);
    } catch (e) {
      this.failures.push(name);
      const detail = e instanceof AssertionError ? e.message : (e && e.stack) || String(e);
      console.log(`FAILED  ${name} (${Date.now() - start} ms)\n        ${detail.replace(/\n/g, "\n        ")}`);
    }
  }

  /// A measured figure, printed again in the summary.
  figure(label, value) {
    this.figures.push(`${label}: ${value}`);
    console.log(`figure  ${label}: ${value}`);
  }

  summary() {
    console.log("");
    for (const f of this.failures) console.log(`failed  ${f}`);
    console.log(`browser: ${this.passed} passed, ${this.failures.length} failed`);
    return this.failures.length === 0;
  }
}

/// Every HTML page of a built site, as URL paths relative to its root
/// (`index.html` -> ``, `stories/x/index.html` -> `stories/x/`), sorted.
/// Redirects (`<collection>/page/1/`, a refresh to the list) are not pages.
export function htmlPages(dir) {
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith(".html") && !readFileSync(p, "utf8").includes('http-equiv="refresh"')) {
        out.push(relative(dir, p).split(sep).join("/"));
      }
    }
  };
  walk(dir);
  return out.map((rel) => (rel.endsWith("index.html") ? rel.slice(0, -"index.html".length) : rel)).sort();
}

/// The kind of a page, from `<body class="kind-...">`.
export async function pageKind(page) {
  return page.evaluate(() => {
    const m = /(?:^|\s)kind-(\S+)/.exec(document.body.className);
    return m ? m[1] : "";
  });
}

/// How far the page is wider than the window (0 when nothing overflows),
/// and the widest element sticking out, to name in a failure.
export async function overflow(page) {
  return page.evaluate(() => {
    const de = document.documentElement;
    const extra = de.scrollWidth - window.innerWidth;
    if (extra <= 0) return { extra: 0 };
    let worst = null;
    for (const el of document.body.querySelectorAll("*")) {
      const r = el.getBoundingClientRect();
      if (r.right > window.innerWidth + 0.5 && (!worst || r.right > worst.right)) {
        worst = { right: r.right, tag: el.tagName.toLowerCase(), cls: el.className, text: (el.textContent || "").slice(0, 60) };
      }
    }
    return { extra, worst };
  });
}

/// Parses `rgb(...)`/`rgba(...)` into [r, g, b, a].
export function parseColor(css) {
  const m = /rgba?\(([^)]+)\)/.exec(css);
  if (!m) return null;
  const parts = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
  return [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1];
}

function luminance([r, g, b]) {
  const lin = (c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/// WCAG contrast ratio of two opaque colours.
export function contrast(a, b) {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

/// The text colour of the first element matching `selector` and the
/// background it sits on (the nearest ancestor with an opaque one).
export async function colours(page, selector) {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel);
    if (!el) return null;
    let bg = null;
    for (let n = el; n; n = n.parentElement) {
      const c = getComputedStyle(n).backgroundColor;
      if (c && c !== "transparent" && !/rgba\([^)]*,\s*0\)$/.test(c)) { bg = c; break; }
    }
    return { fg: getComputedStyle(el).color, bg: bg || "rgb(255, 255, 255)" };
  }, selector);
}

/// Collects what goes wrong while pages load: script errors and failed
/// requests (status >= 400), except those `expected` allows.
export function watchPage(page, problems, expected = () => false) {
  const inFlight = new Set();
  page.__inFlight = inFlight;
  page.on("request", (r) => inFlight.add(r));
  page.on("requestfinished", (r) => inFlight.delete(r));
  page.on("requestfailed", (r) => inFlight.delete(r));
  page.on("pageerror", (e) => problems.push(`script error on ${page.url()}: ${e.message}`));
  page.on("response", (r) => {
    if (r.status() >= 400 && !expected(r)) problems.push(`${r.status()} for ${r.url()} (from ${page.url()})`);
  });
  page.on("requestfailed", (r) => {
    const why = r.failure() ? r.failure().errorText : "failed";
    if (why !== "net::ERR_ABORTED") problems.push(`request failed: ${r.url()}: ${why}`);
  });
}

/// One page per kind of page and collection among a site's `pages`, read
/// from `<body class="kind-...">` and the collection class of the main
/// element, so that new kinds of page are covered without a change here.
/// Returns [{key, rel}], e.g. {key: "note:companies", rel: "companies/alibaba/"}.
export function pageTypes(dir, pages) {
  const seen = new Map();
  for (const rel of pages) {
    const file = join(dir, rel.endsWith("/") || rel === "" ? `${rel}index.html` : rel);
    const html = readFileSync(file, "utf8");
    const kind = (/<body[^>]*class="[^"]*\bkind-([\w-]+)/.exec(html) || [, "unknown"])[1];
    const main = /<main[^>]*>\s*<(?:article|div) class="([^"]*)"/.exec(html);
    const coll = main ? (/\bc-([\w-]+)/.exec(main[1]) || [, ""])[1] : "";
    const key = coll ? `${kind}:${coll}` : kind;
    if (!seen.has(key)) seen.set(key, rel);
  }
  return [...seen].map(([key, rel]) => ({ key, rel }));
}

/// The requests of `page` still waiting for an answer (for failure messages).
export function pending(page) {
  return page.__inFlight ? [...page.__inFlight].map((r) => r.url()) : [];
}
