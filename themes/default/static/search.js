// brief search: queries the sharded index under search/index/ that
// `brief build` writes. The tokenizer mirrors src/search/tokens.rs exactly.
(function () {
  "use strict";
  var script = document.currentScript;
  var base = script ? script.src.replace(/search\.js(\?.*)?$/, "") : "/";
  var indexUrl = base + "search/index/";
  var input = document.getElementById("search-input");
  var results = document.getElementById("search-results");
  if (!input || !results) return;

  var STOP = ["a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "he",
    "in", "is", "it", "its", "of", "on", "or", "she", "that", "the", "their", "they", "this",
    "to", "was", "were", "will", "with"];
  var PAGE = 20;

  function isCjk(c) {
    var n = c.codePointAt(0);
    return (n >= 0x3040 && n <= 0x30ff) || (n >= 0x3400 && n <= 0x4dbf) || (n >= 0x4e00 && n <= 0x9fff) ||
      (n >= 0xac00 && n <= 0xd7af) || (n >= 0xf900 && n <= 0xfaff) || (n >= 0x20000 && n <= 0x2fa1f);
  }
  // As Rust's char::is_alphanumeric: letters, the marks of Indic and
  // other scripts that Unicode counts as alphabetic, and numbers.
  function isAlnum(c) { return /[\p{Alphabetic}\p{N}]/u.test(c); }
  // Lowercased a character at a time, as Rust's char::to_lowercase, and
  // a final sigma made a sigma, as the index has it.
  function lower(text) {
    return Array.from(text).map(function (c) { return c === "ς" ? "σ" : c.toLowerCase(); }).join("");
  }
  function stem(w) {
    var n = Array.from(w).length;
    if (!/^[\x00-\x7f]*$/.test(w) || n <= 3) return w;
    if (n > 4 && /ies$/.test(w)) w = w.slice(0, -3) + "y";
    else if (/sses$/.test(w)) w = w.slice(0, -2);
    else if (/s$/.test(w) && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
    if (w.length > 5 && /ing$/.test(w)) w = w.slice(0, -3);
    else if (w.length > 4 && /ed$/.test(w)) w = w.slice(0, -2);
    return w;
  }
  function tokens(text) {
    var out = [], word = "", cjk = [], skip = false;
    function flushWord() { if (word && STOP.indexOf(word) < 0) out.push(stem(word)); word = ""; }
    function flushCjk() {
      if (cjk.length === 1) out.push(cjk[0]);
      for (var i = 0; i + 1 < cjk.length; i++) out.push(cjk[i] + cjk[i + 1]);
      cjk = [];
    }
    Array.from(lower(text)).forEach(function (c) {
      if (isCjk(c)) { flushWord(); skip = false; cjk.push(c); }
      else if (isAlnum(c)) { flushCjk(); if (!skip) word += c; }
      else if ((c === "'" || c === "\u2019") && word) { flushWord(); skip = true; }
      else { flushWord(); flushCjk(); skip = false; }
    });
    flushWord(); flushCjk();
    return out;
  }
  function fnv1a(term) {
    var bytes = new TextEncoder().encode(term), h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) { h ^= bytes[i]; h = Math.imul(h, 0x01000193) >>> 0; }
    return h >>> 0;
  }

  var cache = {};
  function fetchJson(path) {
    if (!cache[path]) {
      cache[path] = fetch(indexUrl + path).then(function (r) {
        if (!r.ok) throw new Error(r.status + " " + path);
        return r.json();
      });
    }
    return cache[path];
  }

  var meta = null, filter = "", lastQuery = null, ranked = [], shown = 0;
  var status = document.createElement("p");
  status.className = "search-status";
  status.setAttribute("role", "status");
  var list = document.createElement("ol");
  list.className = "search-list";
  var more = document.createElement("button");
  more.type = "button";
  more.className = "search-more";
  more.textContent = "Show more results";
  more.hidden = true;
  results.appendChild(status);
  results.appendChild(list);
  results.appendChild(more);

  function buildFilters() {
    var box = document.createElement("div");
    box.className = "search-filters";
    var label = document.createElement("label");
    label.setAttribute("for", "search-filter");
    label.textContent = "In";
    var select = document.createElement("select");
    select.id = "search-filter";
    var all = document.createElement("option");
    all.value = ""; all.textContent = "All collections";
    select.appendChild(all);
    meta.collections.forEach(function (c, i) {
      if (meta.doc_collections.indexOf(i) < 0) return;
      var o = document.createElement("option");
      o.value = String(i); o.textContent = c.title;
      select.appendChild(o);
    });
    select.addEventListener("change", function () { filter = select.value; lastQuery = null; run(); });
    box.appendChild(label);
    box.appendChild(select);
    results.insertBefore(box, status);
  }

  function score(terms) {
    return Promise.all(terms.map(function (t) {
      return fetchJson("t/" + (fnv1a(t) % meta.shards) + ".json").then(function (shard) { return shard[t] || []; });
    })).then(function (lists) {
      var scores = new Map(), hits = new Map();
      lists.forEach(function (postings) {
        var df = postings.length / 2;
        if (!df) return;
        var idf = Math.log(1 + meta.docs / df);
        for (var i = 0; i < postings.length; i += 2) {
          var d = postings[i];
          scores.set(d, (scores.get(d) || 0) + idf * (1 + Math.log(postings[i + 1])));
          hits.set(d, (hits.get(d) || 0) + 1);
        }
      });
      var want = lists.filter(function (l) { return l.length; }).length;
      var docs = Array.from(scores.keys()).filter(function (d) {
        return filter === "" || String(meta.doc_collections[d]) === filter;
      });
      var all = docs.filter(function (d) { return hits.get(d) === want; });
      if (all.length) docs = all;
      docs.sort(function (a, b) { return (scores.get(b) - scores.get(a)) || (a - b); });
      return docs;
    });
  }

  function escapeRe(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }
  // A query word highlights whole words: itself or its stem with a plural
  // or verb ending ("export" marks "exports", "ai" never marks "said").
  // Chinese, Japanese and Korean text has no spaces: there it matches anywhere.
  function wordRe(w) {
    if (Array.from(w).some(isCjk)) return escapeRe(w);
    var s = stem(w);
    var base = /y$/.test(s) ? escapeRe(s.slice(0, -1)) + "(?:y|ies)" : escapeRe(s);
    return "(?<![\\p{Alphabetic}\\p{N}])(?:" + escapeRe(w) + "|" + base + "(?:s|es|ed|ing)?)(?![\\p{Alphabetic}\\p{N}])";
  }
  function snippet(doc, words) {
    var text = doc.text || doc.summary || "";
    var re = words.length ? new RegExp("(" + words.map(wordRe).join("|") + ")", "giu") : null;
    var at = re ? text.search(re) : -1;
    var start = Math.max(0, at - 60);
    var cut = text.slice(start, start + 200);
    var frag = document.createDocumentFragment();
    if (start > 0) frag.appendChild(document.createTextNode("… "));
    var parts = re ? cut.split(re) : [cut];
    parts.forEach(function (p, i) {
      if (i % 2 === 1) { var m = document.createElement("mark"); m.textContent = p; frag.appendChild(m); }
      else if (p) frag.appendChild(document.createTextNode(p));
    });
    if (start + 200 < text.length) frag.appendChild(document.createTextNode(" …"));
    return frag;
  }

  function item(doc, words) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = doc.url; a.textContent = doc.title;
    var h = document.createElement("h2");
    h.className = "search-title";
    h.appendChild(a);
    li.appendChild(h);
    var info = document.createElement("p");
    info.className = "search-meta";
    info.textContent = doc.collection_title + (doc.date ? " · " + doc.date : "");
    li.appendChild(info);
    var p = document.createElement("p");
    p.className = "search-snippet";
    p.appendChild(snippet(doc, words));
    li.appendChild(p);
    return li;
  }

  function showMore(words) {
    var next = ranked.slice(shown, shown + PAGE);
    shown += next.length;
    more.hidden = shown >= ranked.length;
    return Promise.all(next.map(function (d) { return fetchJson("d/" + d + ".json"); })).then(function (docs) {
      docs.forEach(function (doc) { list.appendChild(item(doc, words)); });
    });
  }

  function queryWords(q) {
    return lower(q).split(/[^\p{Alphabetic}\p{N}]+/u).filter(function (w) {
      return w && STOP.indexOf(w) < 0;
    });
  }

  function run() {
    var q = input.value.trim();
    if (q === lastQuery) return;
    lastQuery = q;
    var url = new URL(window.location.href);
    if (q) url.searchParams.set("q", q); else url.searchParams.delete("q");
    window.history.replaceState(null, "", url);
    list.textContent = "";
    more.hidden = true;
    var terms = tokens(q).filter(function (t, i, a) { return a.indexOf(t) === i; });
    if (!terms.length) { status.textContent = q ? "Type a longer word." : ""; return; }
    status.textContent = "Searching…";
    score(terms).then(function (docs) {
      if (q !== lastQuery) return;
      ranked = docs; shown = 0;
      status.textContent = docs.length === 0 ? "No notes match “" + q + "”." :
        docs.length + (docs.length === 1 ? " note matches" : " notes match") + " “" + q + "”.";
      return showMore(queryWords(q));
    }).catch(function (e) { status.textContent = "Search failed: " + e.message; });
  }

  var timer = null;
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 120); });
  var form = input.form;
  if (form) form.addEventListener("submit", function (e) { e.preventDefault(); clearTimeout(timer); run(); });
  more.addEventListener("click", function () { showMore(queryWords(lastQuery || "")); });

  // Keyboard: arrow keys move between the box and the results.
  function links() { return Array.from(list.querySelectorAll("a")); }
  document.addEventListener("keydown", function (e) {
    var all = links(), i = all.indexOf(document.activeElement);
    if (e.key === "ArrowDown" && (document.activeElement === input || i >= 0)) {
      if (i + 1 < all.length) { all[i + 1].focus(); e.preventDefault(); }
    } else if (e.key === "ArrowUp" && i >= 0) {
      (i === 0 ? input : all[i - 1]).focus(); e.preventDefault();
    } else if (e.key === "Escape" && (document.activeElement === input || i >= 0)) {
      input.value = ""; input.focus(); run();
    }
  });

  fetchJson("meta.json").then(function (m) {
    meta = m;
    buildFilters();
    var q = new URL(window.location.href).searchParams.get("q");
    if (q) { input.value = q; }
    run();
  }).catch(function (e) { status.textContent = "Search index unavailable: " + e.message; });
})();
