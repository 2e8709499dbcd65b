//! The live-reload script and the error overlay, injected into served HTML
//! pages only (never into `brief build` output).

use crate::markdown::escape_html;

/// The script every served page gets. It listens on the server-sent-events
/// endpoint, reloads on a new build, swaps stylesheets on a CSS-only change,
/// shows or hides the error overlay, and reconnects when the server restarts
/// (reloading if the server's generation changed meanwhile).
const SCRIPT: &str = r#"(function () {
  "use strict";
  var url = "__EVENTS__", seen = null;
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
    box.textContent = "brief: the last change did not build; showing the last good site.\n\n" + errors.join("\n\n");
  }
  function connect() {
    var es = new EventSource(url);
    es.addEventListener("hello", function (e) {
      if (seen !== null && seen !== e.data) location.reload();
      seen = e.data;
    });
    es.addEventListener("reload", function () { location.reload(); });
    es.addEventListener("css", function () {
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

/// Adds the live-reload script (and the current errors) before `</body>`.
pub fn inject(html: &[u8], base_path: &str, errors: Option<&str>) -> Vec<u8> {
    let mut tag = String::from("<script>");
    if let Some(json) = errors {
        // JSON inside a script: escape `<` so `</script>` cannot appear.
        tag.push_str(&format!(
            "window.__briefErrors={};",
            json.replace('<', "\\u003c")
        ));
    }
    tag.push_str(&SCRIPT.replace("__EVENTS__", &format!("{base_path}{EVENTS}")));
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
pub fn error_page(base_path: &str, errors_json: &str, errors_text: &str) -> Vec<u8> {
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>brief: build failed</title></head>\
         <body><h1>The site does not build yet</h1><pre>{}</pre></body></html>",
        escape_html(errors_text)
    );
    inject(body.as_bytes(), base_path, Some(errors_json))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_body_end() {
        let out =
            String::from_utf8(inject(b"<html><body><p>x</p></body></html>", "/", None)).unwrap();
        assert!(out.contains("<p>x</p><script>"));
        assert!(out.ends_with("</script>\n</body></html>"));
        assert!(out.contains("\"/__brief/events\""));
    }

    #[test]
    fn errors_cannot_close_the_script() {
        let out =
            String::from_utf8(inject(b"<body></body>", "/", Some("[\"</script><b>\"]"))).unwrap();
        assert!(!out.contains("</script><b>"));
    }
}
