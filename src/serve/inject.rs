//! The live-reload script and the error overlay, injected into served HTML
//! pages only (never into `brief build` output).

use crate::markdown::escape_html;

/// The script every served page gets. It listens on the server-sent-events
/// endpoint, reloads on a new build, swaps stylesheets on a CSS-only change,
/// shows or hides the error overlay, and reconnects when the server restarts.
/// The page knows which build it was served from (`__BUILD__`, the
/// server's instance and its count of changed builds); the stream's first
/// event, `hello`, names the build served now, and the page reloads if they
/// differ: a build published while the page loaded, before its stream
/// opened, is never missed. The current errors follow the `hello`.
const SCRIPT: &str = r#"(function () {
  "use strict";
  var url = "__EVENTS__", served = "__BUILD__";
  function overlay(errors) {
    var box = document.getElementById("brief-error-overlay");
    if (!errors || !errors.length) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "brief-error-overlay";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:0 0 auto 0;max-height:70vh;overflow:auto;z-index:2147483647;" +
        "background:#1d1f21;color:#f5f5f5;border-bottom:4px solid #e5484d;padding:1rem 1.25rem;" +
        "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;white-space:pre-wrap";
      document.body.appendChild(box);
    }
    var what = window.__briefNoSite ? "the site does not build yet" : "the last change did not build; showing the last good site";
    box.textContent = "brief: " + what + ".\n\n" + errors.join("\n\n");
  }
  function connect() {
    var es = new EventSource(url);
    es.addEventListener("hello", function (e) {
      if (e.data !== served) location.reload();
    });
    es.addEventListener("reload", function () { location.reload(); });
    es.addEventListener("css", function (e) {
      served = e.data;
      document.querySelectorAll('link[rel="stylesheet"]').forEach(function (l) {
        var h = l.href.replace(/[?&]brief=\d+$/, "");
        l.href = h + (h.indexOf("?") < 0 ? "?" : "&") + "brief=" + Date.now();
      });
    });
    es.addEventListener("errors", function (e) { overlay(JSON.parse(e.data)); });
  }
  window.__briefOverlay = overlay;
  if (window.__briefErrors) overlay(window.__briefErrors);
  connect();
})();"#;

/// The path of the events endpoint under the base path.
pub const EVENTS: &str = "__brief/events";

/// Adds the live-reload script (and the current errors) before `</body>`;
/// `build` names the build the page comes from.
pub fn inject(html: &[u8], base_path: &str, build: &str, errors: Option<&str>) -> Vec<u8> {
    let mut tag = String::from("<script>");
    if let Some(json) = errors {
        // JSON inside a script: escape `<` so `</script>` cannot appear.
        tag.push_str(&format!(
            "window.__briefErrors={};",
            json.replace('<', "\\u003c")
        ));
    }
    let script = SCRIPT
        .replace("__EVENTS__", &format!("{base_path}{EVENTS}"))
        .replace("__BUILD__", build);
    tag.push_str(&script);
    tag.push_str("</script>\n");
    let text = String::from_utf8_lossy(html);
    let at = text.rfind("</body>").unwrap_or(text.len());
    let mut out = String::with_capacity(text.len() + tag.len());
    out.push_str(&text[..at]);
    out.push_str(&tag);
    out.push_str(&text[at..]);
    out.into_bytes()
}

/// A minimal page for when no good build exists yet.
pub fn error_page(base_path: &str, build: &str, errors_json: &str, errors_text: &str) -> Vec<u8> {
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>brief: build failed</title></head>\
         <body><h1>The site does not build yet</h1><pre>{}</pre>\
         <script>window.__briefNoSite=true;</script></body></html>",
        escape_html(errors_text)
    );
    inject(body.as_bytes(), base_path, build, Some(errors_json))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_body_end() {
        let out = String::from_utf8(inject(
            b"<html><body><p>x</p></body></html>",
            "/",
            "1-2",
            None,
        ))
        .unwrap();
        assert!(out.contains("<p>x</p><script>"));
        assert!(out.ends_with("</script>\n</body></html>"));
        assert!(out.contains("\"/__brief/events\""));
        assert!(out.contains("served = \"1-2\""));
    }

    #[test]
    fn errors_cannot_close_the_script() {
        let out = String::from_utf8(inject(
            b"<body></body>",
            "/",
            "1-0",
            Some("[\"</script><b>\"]"),
        ))
        .unwrap();
        assert!(!out.contains("</script><b>"));
    }
}
