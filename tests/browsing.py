"""Shared by the browser tests: Debian's Chromium, a static host with its 404
page, and a page that records console errors and off-site requests."""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

MARKS = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (apt-get install chromium fonts-noto-cjk)"),
]


class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files like a host would serve them, 404.html included."""

    def log_message(self, *args):
        pass

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.exists():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextlib.contextmanager
def serve(site: Path):
    """The built ``site`` at a local address (yields its base URL)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


class Watched:
    """A page that records console errors, page errors and off-site requests."""

    def __init__(self, browser, base: str, viewport=None):
        self.base = base
        self.page = browser.new_page(viewport=viewport or DESKTOP)
        self.errors: list[str] = []
        self.offsite: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", self._request)

    def _request(self, request):
        if not request.url.startswith(self.base) and not request.url.startswith("data:"):
            self.offsite.append(request.url)

    def goto(self, path: str):
        return self.page.goto(self.base + path, wait_until="load")

    def shot(self, name: str, full_page: bool = False):
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)

    def h1(self) -> str:
        return self.page.locator("article h1").first.inner_text().strip()

    def axe(self) -> list[dict]:
        """axe-core's violations on the page as it is now, every rule and impact."""
        assert AXE.exists(), "axe-core missing: make test installs it (npm ci --prefix tests)"
        self.page.add_script_tag(path=str(AXE))
        return self.page.evaluate("""async () => {
            const r = await axe.run(document, {resultTypes: ['violations'],
              runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
              nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary.split('\\n')[1])}));
        }""")
