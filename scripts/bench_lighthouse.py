#!/usr/bin/env python3
"""How light are the pages a resident opens? Lighthouse (mobile) on the example archive.

    make lighthouse                                   # = the command below, after npm ci
    .venv/bin/python scripts/bench_lighthouse.py [--site site] [--runs 3]

Builds the example archive (unless ``--site`` names a built one), serves it
over HTTP with gzip as a static host does, and runs Lighthouse
(``tests/package.json`` devDependencies, Debian's Chromium) with its default
mobile settings (simulated slow 4G, 4x CPU slowdown) on the home page, the
longest article and a search page with hits. Prints, per page, the median
score of each category over ``--runs`` runs, the gzip bytes transferred and
the requests. Results go in BENCHMARKS.md; this is a benchmark, not a test
(scores move with the machine's load).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
LIGHTHOUSE = ROOT / "tests" / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".xml", ".svg", ".txt")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip-compressed for a client that accepts it (as GitHub Pages does)."""

    cache: dict[Path, bytes] = {}

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the redirect to the folder's URL
            path = path / "index.html"
        if (not path.is_file() or path.suffix not in COMPRESSIBLE
                or "gzip" not in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        body = self.cache.get(path)
        if body is None:
            body = self.cache[path] = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        return io.BytesIO(body)


def build() -> Path:
    """The example archive (content/, taxonomy.yml, mkdocs.yml, theme/) built into
    .bench/lighthouse/ (inside the project, where the build may write)."""
    out = ROOT / ".bench" / "lighthouse"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run([str(Path(sys.executable).parent / "mkdocs"), "build", "--strict", "--site-dir", str(out)],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    if proc.returncode:
        sys.exit(proc.stderr)
    return out


def longest_article(site: Path) -> str:
    pages = sorted((site / "articles").rglob("index.html"), key=lambda p: p.stat().st_size)
    return pages[-1].parent.relative_to(site).as_posix() + "/"


def lighthouse(url: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        subprocess.run(
            [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
             "--only-categories=" + ",".join(CATEGORIES),
             "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"],
            check=True, env={**os.environ, "CHROME_PATH": CHROMIUM}, timeout=300,
        )
        return json.loads(report.read_text(encoding="utf-8"))


def summary(report: dict) -> dict:
    audits = report["audits"]
    requests = audits["network-requests"]["details"]["items"]
    return {
        **{c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES},
        "transfer": sum(r.get("transferSize", 0) for r in requests),
        "requests": len(requests),
        "fcp_ms": round(audits["first-contentful-paint"]["numericValue"]),
        "lcp_ms": round(audits["largest-contentful-paint"]["numericValue"]),
        "cls": round(audits["cumulative-layout-shift"]["numericValue"], 3),
        "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
        "flags": [a for a in ("unused-css-rules", "unused-javascript", "render-blocking-resources")
                  if audits.get(a, {}).get("score") is not None and audits[a]["score"] < 1],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build the example archive)")
    parser.add_argument("--runs", type=int, default=3, help="runs per page; the median is reported")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse missing: npm ci --prefix tests (it is a devDependency of tests/package.json)")
    site = args.site or build()
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/"
    pages = {"home": "", "article": longest_article(site), "search": "search/?q=" + quote("垃圾分类")}
    try:
        for name, path in pages.items():
            runs = [summary(lighthouse(base + path)) for _ in range(args.runs)]
            median = {k: statistics.median(r[k] for r in runs) for k in runs[0] if k != "flags"}
            flags = sorted({f for r in runs for f in r["flags"]})
            print(f"{name:8} {path}")
            print("         " + "  ".join(f"{k} {v:g}" for k, v in median.items())
                  + (f"  flagged: {', '.join(flags)}" if flags else ""))
            print("         performance of each run: " + " ".join(str(r["performance"]) for r in runs))
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
