"""What ``scripts/bench_site.py`` measures of one ``mkdocs build``: wall and CPU
seconds, peak memory (the build and its search child together), HTML sizes,
the host's speed at the time; and the table of sizes with their growth.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

MKDOCS = Path(sys.executable).parent / "mkdocs"


def tree_pss(pid: int) -> int:
    """Bytes of memory of a process and its descendants (proportional set size:
    pages a forked child shares with its parent count once), 0 if unreadable."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1]) * 1024
                    break
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return total


def run_build(config: Path, site: Path, timeout: float, extra_env: dict | None = None) -> dict:
    """``mkdocs build`` as a child process: wall seconds, peak RSS (MiB), warnings."""
    if site.exists():
        shutil.rmtree(site)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": "https://bulletin.example.org/", **(extra_env or {})}
    log = site.parent / (site.name + ".log")
    with open(log, "w", encoding="utf-8") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen([str(MKDOCS), "build", "-f", str(config), "-d", str(site)],
                                cwd=config.parent, stdout=subprocess.DEVNULL, stderr=err, env=env)
        deadline = t0 + timeout
        tree_peak, next_sample = 0, t0
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            # The build and its child (the search index) together, every 2 s: reading
            # smaps_rollup of a 3 GB process takes 25 ms and stalls its page faults.
            if time.perf_counter() >= next_sample:
                tree_peak, next_sample = max(tree_peak, tree_pss(proc.pid)), time.perf_counter() + 2.0
            if time.perf_counter() > deadline:
                proc.kill()
                os.wait4(proc.pid, 0)
                return {"ok": False, "error": f"timed out after {timeout:.0f} s", "log": str(log)}
            time.sleep(0.05)
        wall = time.perf_counter() - t0
    text = log.read_text(encoding="utf-8", errors="replace")
    code = os.waitstatus_to_exitcode(status)
    return {
        "ok": code == 0, "error": None if code == 0 else f"exit {code}: {text.strip().splitlines()[-1:]}",
        "wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "peak_mib": max(usage.ru_maxrss / 1024, tree_peak / 2**20),
        "peak_rss_mib": usage.ru_maxrss / 1024, "tree_pss_mib": tree_peak / 2**20, "log": str(log),
        "warnings": len(re.findall(r"^WARNING", text, re.M)),
    }


def html_stats(site: Path) -> dict:
    sizes = [p.stat().st_size for p in (site / "articles").rglob("index.html")]
    total = files = 0
    for dirpath, _, names in os.walk(site):
        for name in names:
            total += os.path.getsize(os.path.join(dirpath, name))
            files += 1
    biggest = max(((p.stat().st_size, p) for p in site.rglob("*.html")), default=(0, None))
    return {"pages": len(sizes), "html_mean": statistics.mean(sizes) if sizes else 0,
            "html_max": max(sizes, default=0), "site_bytes": total, "site_files": files,
            "biggest_html": (biggest[0], str(biggest[1].relative_to(site)) if biggest[1] else "")}


def fastest(same: tuple[dict, ...]) -> dict:
    """Of the rounds of one size, the one whose build of ours was fastest (a failed one first)."""
    failed = [r for r in same if not r.get("ours", {}).get("ok")]
    return failed[0] if failed else min(same, key=lambda r: r["ours"]["wall"])


BARS = {"site_per_article": 18_000, "html_mean": 25_000, "ratio": 1.0, "first_query": 300_000}


def summary(runs: list[dict]) -> str:
    """One row a size: site bytes per article (all files, listings, search and
    assets), against the baseline's, and growth from the size before."""
    rows = ["size | ours: wall / peak / site bytes per article | baseline: wall / site bytes per article | ratio | growth (wall, peak, site)"]
    prev = None
    for r in runs:
        o, b = r.get("ours", {}), r.get("baseline", {})
        if not o.get("ok"):
            rows.append(f"{r['n']:,} | FAILED: {o.get('error')}")
            continue
        per = o["site_bytes"] / r["n"]
        r["site_per_article"] = per
        base = (f"{b['wall']:.1f} s / {b['site_bytes'] / r['n']:,.0f} B" if b.get("ok") else "-")
        growth = "-"
        if prev:
            po = prev["ours"]
            r["growth"] = {"n": r["n"] / prev["n"], "wall": o["wall"] / po["wall"], "cpu": o["cpu"] / po["cpu"],
                           "peak": o["peak_mib"] / po["peak_mib"], "site": o["site_bytes"] / po["site_bytes"]}
            g = r["growth"]
            # CPU growth beside wall: a shared host's speed drifts between runs (the
            # reference loop in each run's header shows how much); --runs N keeps the best.
            growth = f"x{g['n']:g} articles: {g['wall']:.2f}x (CPU {g['cpu']:.2f}x), {g['peak']:.2f}x, {g['site']:.2f}x"
        fq = o.get("first_query")
        over = [k for k, v in (("site bytes per article", per > BARS["site_per_article"]),
                               ("HTML per article", o["html_mean"] > BARS["html_mean"]),
                               ("ratio", r.get("ratio", 0) > BARS["ratio"]),
                               ("first query", isinstance(fq, dict) and fq["worst"][0] > BARS["first_query"])) if v]
        rows.append(f"{r['n']:,} | {o['wall']:.1f} s / {o['peak_mib']:,.0f} MiB / {per:,.0f} B | {base} | "
                    f"{r.get('ratio', float('nan')):.2f} | {growth}" + (f" | OVER: {', '.join(over)}" if over else ""))
        prev = r
    return "\n".join(rows)


def cpu_ms() -> float:
    """Milliseconds of a fixed pure-Python loop (best of 3): how fast this machine
    is right now, so that builds measured on different days or hosts compare
    (a shared host's core ran it in 0.6 s one day and 1.5 s another; within
    minutes it drifts by 20%, so it is printed, not used to correct)."""
    best = float("inf")
    for _ in range(3):
        t0, total = time.perf_counter(), 0
        for i in range(2_000_000):
            total += i & 7
        best = min(best, time.perf_counter() - t0)
    return best * 1000
