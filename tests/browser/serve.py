"""A static file server for built sites, as a host serves them: a folder's
index.html for its address, a redirect from /x to /x/ for a folder, and the
site's own 404.html with status 404 for anything missing. Several sites sit
side by side under ROOT, one per first path segment (/sample/..., /gen/...).

    python3 tests/browser/serve.py ROOT

Listens on an ephemeral loopback port, prints "serving at http://127.0.0.1:PORT/"
and serves until killed. Run by tests/browser.rs.
"""

import http.server
import os
import sys
from functools import partial


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".json": "application/json",
        ".js": "text/javascript",
        ".svg": "image/svg+xml",
        ".xml": "application/xml",
    }

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def send_error(self, code, message=None, explain=None):
        site = self.path.lstrip("/").split("/", 1)[0].split("?", 1)[0]
        page = os.path.join(self.directory, site, "404.html")
        if code != 404 or not site or not os.path.isfile(page):
            return super().send_error(code, message, explain)
        with open(page, "rb") as f:
            body = f.read()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format, *args):
        pass


def main(root):
    handler = partial(Handler, directory=root)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    print(f"serving at http://127.0.0.1:{server.server_address[1]}/", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1])
