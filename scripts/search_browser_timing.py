"""``bench_search.py --browser``: the first query timed in headless Chromium
(the search page over an index from ``scripts/bench_search.py``), on localhost
or with an emulated slow network, opened as search/?q=… or typed into the open page.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bulletin.search import index as searchindex
from searchnode import gzip_size


_SERVER = """
import functools, http.server, sys
class Handler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as any real host
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms delayed-ACK stall
    def log_message(self, *args):
        pass
httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=sys.argv[1]))
print(httpd.server_port, flush=True)
httpd.serve_forever()
"""


def browser_timing(index_dir: Path, runs: list[tuple[str, dict]], throttle: bool = False,
                   typed: bool = False) -> list[dict]:
    """Open search/?q=… (or type the query into the open search page) in headless
    Chromium, cold cache each time, over the example site with this index in
    place of its own; time and gzip bytes per query."""
    import shutil
    import subprocess
    import tempfile
    from urllib.parse import unquote, urlencode, urlsplit

    from playwright.sync_api import sync_playwright

    root = Path(__file__).resolve().parents[1]
    out: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for name in ("content", "theme"):
            shutil.copytree(root / name, tmp / name)
        for name in ("taxonomy.yml", "mkdocs.yml"):
            shutil.copy(root / name, tmp / name)
        subprocess.run([str(Path(sys.executable).parent / "mkdocs"), "build", "--quiet"], cwd=tmp, check=True)
        site = tmp / "site"
        shutil.rmtree(site / searchindex.INDEX_DIR)
        (site / searchindex.INDEX_DIR).symlink_to(Path(index_dir).resolve(), target_is_directory=True)

        # The server runs in its own process: in this one, garbage collection of
        # the synthetic archive would stall its threads and the timings with them.
        server = subprocess.Popen([sys.executable, "-c", _SERVER, str(site)], stdout=subprocess.PIPE, text=True)
        base = f"http://127.0.0.1:{int(server.stdout.readline())}/"
        args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"]
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)
                for label, q in runs:
                    ctx = browser.new_context(viewport={"width": 390, "height": 844})
                    page = ctx.new_page()
                    if throttle:
                        cdp = ctx.new_cdp_session(page)
                        cdp.send("Network.enable")
                        cdp.send("Network.emulateNetworkConditions", {
                            "offline": False, "latency": 100,
                            "downloadThroughput": 10_000_000 / 8, "uploadThroughput": 2_000_000 / 8})
                    fetched: list[str] = []
                    prefix = base + searchindex.INDEX_DIR + "/"
                    page.on("request", lambda r: r.url.startswith(prefix) and fetched.append(
                        unquote(urlsplit(r.url).path)[len(urlsplit(prefix).path):]))
                    params = {k: v for k, v in {"q": q.get("query"), **{k: v for k, v in q.items() if k != "query"}}.items() if v}
                    if typed:  # the reader is on the search page already and types the query
                        if not q.get("query") or len(q) > 1:  # filters come from links, not typing
                            ctx.close()
                            continue
                        page.goto(base + "search/")
                        page.wait_for_selector("[data-search-results][data-search-state=done]", state="attached")
                        page.wait_for_load_state("load")
                        page.locator("form[data-search-form] input[name=q]").fill(q["query"])
                        page.locator("form[data-search-form] input[name=q]").press("Enter")
                        page.wait_for_selector("[data-search-results][data-search-timing]", state="attached", timeout=60_000)
                    else:
                        page.goto(base + "search/?" + urlencode(params))
                        page.wait_for_selector("[data-search-results][data-search-state=done]", state="attached", timeout=60_000)
                    timing = json.loads(page.get_attribute("[data-search-results]", "data-search-timing") or "{}")
                    page.wait_for_selector("[data-search][data-search-facets-state=done]", state="attached", timeout=60_000)
                    gz = sum(gzip_size((Path(index_dir) / f).read_bytes()) for f in set(fetched))
                    results = page.locator("[data-search-results] a").count()
                    out.append({"label": label, "query": params, "timing": timing, "gzip": gz,
                                "requests": len(set(fetched)), "shown": results,
                                "status": page.inner_text("[data-search-status]")})
                    ctx.close()
                browser.close()
        finally:
            server.terminate()
            server.wait()
    return out
