#!/usr/bin/env python3
"""How soon does the preview show a saved edit? (``bench_site.py --serve``, or alone)

    .venv/bin/python scripts/bench_serve.py --n 1000 10000 50000

Starts the documented preview as ``make serve`` does (``mkdocs serve``, default
settings, no flag) on bench_site's synthetic archive of N articles, waits for
the first build, then saves edits to one article (its title, its tags, its
body), each followed by the edit undone, and times each save until the served
article page shows it (polled every 50 ms; MkDocs' server holds a request while
it rebuilds). Prints the first build, the latency of every edit and the
plugin's own account of each rebuild (pages re-rendered, seconds).
"""

from __future__ import annotations

import argparse
import os
import queue
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

from synthetic_archive import ROOT, prepare, street_names

MKDOCS = Path(sys.executable).parent / "mkdocs"
UPDATED = re.compile(r"预览已更新 (\d+) 个页面.*用时 ([\d.]+) 秒")


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=600) as r:
            return r.read().decode("utf-8", "replace")
    except OSError:
        return ""


def _edits(text: str, streets: list[str], stamp: str) -> list[tuple[str, str, str]]:
    """(what, edited page text, what the served page then shows) for one article."""
    title = re.search(r"^title: (.*)$", text, re.M)
    own = re.search(r"\nstreets:\n(?:- .*\n)+", text)
    other = next(s for s in streets if s not in text)
    out = [("title", text.replace(title.group(0), f"{title.group(0)}（修订{stamp}）", 1), f"（修订{stamp}）")]
    if own:
        out.append(("tags", text.replace(own.group(0), f"\nstreets:\n- {other}\n", 1), f">{other}<"))
    out.append(("body", text.rstrip("\n") + f"\n\n预览测试补充的一段话{stamp}。\n", f"预览测试补充的一段话{stamp}"))
    return out


def serve_latency(config: Path, content: Path, streets: list[str], timeout: float = 3600,
                  port: int = 8765, rounds: int = 1) -> dict:
    """Start ``mkdocs serve`` on ``config``; time the first build and each edit."""
    config, content = config.resolve(), content.resolve()
    pages = sorted((content / "articles").rglob("*.md"))
    middle = pages[len(pages) // 2:] + pages[:len(pages) // 2]
    page = next((p for p in middle[:200] if "\nstreets:\n- " in p.read_text(encoding="utf-8")), middle[0])  # tagged
    original = page.read_text(encoding="utf-8")
    url = f"http://127.0.0.1:{port}/" + urllib.parse.quote(str(page.relative_to(content))[:-3]) + "/"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.Popen([str(MKDOCS), "serve", "-f", str(config), "--dev-addr", f"127.0.0.1:{port}"],
                            cwd=config.parent, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=env, text=True, encoding="utf-8", errors="replace")
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(ln) for ln in proc.stderr], daemon=True).start()
    t0 = time.perf_counter()
    out: dict = {"n": len(pages), "edits": []}
    try:
        while True:
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                if proc.poll() is not None or time.perf_counter() - t0 > timeout:
                    return {**out, "ok": False, "error": "serve did not start"}
                continue
            if "Serving on" in line:
                break
        out["first_build"] = time.perf_counter() - t0
        for r in range(rounds):
            for what, text, shows in _edits(original, streets, f"{int(time.time())}{r}"):
                for step, body, done in ((what, text, lambda html: shows in html),
                                         (f"undo {what}", original, lambda html: shows not in html)):
                    while not lines.empty():
                        lines.get()
                    started = time.perf_counter()
                    page.write_text(body, encoding="utf-8")
                    while not done(_get(url)):
                        if time.perf_counter() - started > timeout:
                            return {**out, "ok": False, "error": f"{step}: not shown after {timeout:.0f} s"}
                        time.sleep(0.05)
                    seconds = time.perf_counter() - started
                    time.sleep(0.3)  # the plugin's log line
                    said = [m for m in (UPDATED.search(ln) for ln in list(lines.queue)) if m]
                    out["edits"].append({"edit": step, "seconds": seconds,
                                         "pages": int(said[-1].group(1)) if said else None,
                                         "rebuild": float(said[-1].group(2)) if said else None})
        first = [e["seconds"] for e in out["edits"] if not e["edit"].startswith("undo")]
        return {**out, "ok": True, "median": statistics.median(first), "worst": max(first)}
    finally:
        page.write_text(original, encoding="utf-8")
        proc.send_signal(signal.SIGINT)  # as Ctrl+C: MkDocs removes its temporary site folder
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()


def report(r: dict) -> str:
    if not r.get("ok"):
        return f"preview at {r['n']:,}: FAILED ({r.get('error')})"
    each = "; ".join(f"{e['edit']} {e['seconds']:.2f} s" + (f" ({e['pages']} pages, {e['rebuild']:.2f} s)"
                                                           if e["pages"] is not None else " (full build)")
                     for e in r["edits"])
    return (f"preview at {r['n']:,} articles: first build {r['first_build']:.1f} s; save -> shown: "
            f"median {r['median']:.2f} s, worst {r['worst']:.2f} s; {each}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, nargs="+", default=[1000])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default=str(ROOT / ".bench"))
    ap.add_argument("--rounds", type=int, default=1, help="edits of each kind")
    ap.add_argument("--timeout", type=float, default=3600)
    ap.add_argument("--port", type=int, default=8765)
    args = ap.parse_args(argv)
    ok = True
    for n in args.n:
        root = prepare(n, args.seed, Path(args.out))
        with open("/proc/loadavg") as f:
            load = " ".join(f.read().split()[:3])
        r = serve_latency(root / "mkdocs.yml", root / "content", street_names(root),
                          args.timeout, port=args.port, rounds=args.rounds)
        print(report(r) + f" [load {load}]", flush=True)
        ok &= bool(r.get("ok"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
