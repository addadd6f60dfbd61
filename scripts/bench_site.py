#!/usr/bin/env python3
"""How fast does the archive build, how big is it, how light is search, at scale?

    .venv/bin/python scripts/bench_site.py --n 10000            # ours + the plain Material baseline
    .venv/bin/python scripts/bench_site.py --n 50000 --no-baseline
    .venv/bin/python scripts/bench_site.py --n 1000 10000 50000 100000  # each size, then growth ratios

Generates a synthetic archive of ``--n`` articles in the project's
front-matter schema (through ``bulletin.model.render_page``, named like the
importer names them: ``content/articles/<year>/<issue>-<page>-<hash>.md``),
with Chinese bodies of 800-2,500 characters recombined from the sentences of
the example articles in ``content/``, about 60 streets (Zipf-popular, so the
busiest holds ~10% of the archive), 30 programmes and dates over 15 years.
It builds it with the project's ``mkdocs.yml`` + ``theme/`` and, unless
``--no-baseline``, the same content as plain MkDocs + Material (articles not
in the nav, Material's own search, which segments Chinese with jieba), and
prints one line per build: wall time, peak memory (max RSS of the
``mkdocs build`` process, or the proportional memory of it and its child
that builds the search index, sampled every 2 s, if more), HTML bytes
per article page, total site size, the
gzip bytes a browser downloads for a first search query, and the importer's
throughput on the example raw pages.

Content is generated once per (n, seed) and kept under ``--out`` (default
``.bench/``, gitignored); ``--keep`` also keeps the built sites.

This script runs the rounds and prints; what it builds is
``synthetic_archive.py``, what it measures ``measure_build.py`` (time,
memory, sizes, the table of sizes) and ``measure_search.py`` (a first
query's bytes, the search engine under Node).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import re
import shutil
import sys
import time
from pathlib import Path

from measure_build import cpu_ms, fastest, html_stats, run_build, summary
from measure_search import baseline_first_query, first_query
from bench_serve import report as serve_report
from bench_serve import serve_latency
from synthetic_archive import ROOT, prepare, setup_baseline, street_names


def _load_script(name: str):
    """A sibling script (helper benches) as a module, or None when it is not there."""
    path = Path(__file__).with_name(f"{name}.py")
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location(f"_bench_{name}", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def import_throughput(seconds: float = 5.0) -> dict:
    """Raw pages per second through ``importer.import_text`` on the example raw pages."""
    bench = _load_script("bench_import")
    if bench and hasattr(bench, "bench_pages"):  # the importer's own bench: import_file, pages written
        import contextlib
        import io

        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            bench.bench_pages(20)
        m = re.search(r"([\d.]+) raw pages/s, ([\d.]+) articles/s", out.getvalue())
        if m:
            return {"pages_s": float(m.group(1)), "articles_s": float(m.group(2)), "how": "bench_import.py pages"}
    from bulletin.importer import pipeline as importer
    from bulletin.taxonomy import load_taxonomy

    taxonomy = load_taxonomy(ROOT / "taxonomy.yml")
    pages = []
    for line in (ROOT / "raw" / "issues.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, day = line.split("\t")[:2]
            pages.append(((ROOT / "raw" / name).read_text(encoding="utf-8"), name, dt.date.fromisoformat(day)))
    done = articles = 0
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < seconds or done < len(pages):
        text, name, day = pages[done % len(pages)]
        articles += len(importer.import_text(text, name, day, taxonomy).articles)
        done += 1
    wall = time.perf_counter() - t0
    return {"pages_s": done / wall, "articles_s": articles / wall, "how": "importer.import_text"}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, nargs="+", default=[1000],
                    help="articles (default 1,000); several sizes are built in turn and compared (growth ratios)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default=str(ROOT / ".bench"), help="work dir (default .bench/)")
    ap.add_argument("--baseline", action=argparse.BooleanOptionalAction, default=True,
                    help="also build the plain Material baseline (default: yes)")
    ap.add_argument("--runs", type=int, default=1, help="builds of each site; the best is reported")
    ap.add_argument("--rounds", type=int, default=1,
                    help="build the sizes in turn this many times (50k, 100k, 50k, 100k ...) and report each "
                         "size's fastest round: the host's drift falls on every size alike")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds before a build is abandoned")
    ap.add_argument("--keep", action="store_true", help="keep the built sites")
    ap.add_argument("--first-query", action=argparse.BooleanOptionalAction, default=True,
                    help="measure what a first search downloads (minutes at 100,000: it reads the archive again)")
    ap.add_argument("--json", help="also write the results here")
    ap.add_argument("--serve", action="store_true",
                    help="also time the preview (mkdocs serve, default settings): saving an edit to one article "
                         "until the served page shows it (bench_serve.py)")
    args = ap.parse_args(argv)
    rounds = [[bench_one(args, n) for n in args.n] for _ in range(max(args.rounds, 1))]
    runs = [fastest(same) for same in zip(*rounds)]
    if len(rounds) > 1:
        print("rounds (ours, wall s): " + "; ".join(
            f"{r[0]['n']:,}: " + ", ".join(f"{x['ours']['wall']:.1f}" if x.get("ours", {}).get("ok") else "failed" for x in r)
            for r in zip(*rounds)), flush=True)
    print(summary(runs), flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(runs if len(runs) > 1 else runs[0], ensure_ascii=False, indent=1, default=str))
    return 0 if all(r.get("ours", {}).get("ok") for r in runs) else 1


def bench_one(args, n: int) -> dict:
    """Generate (once) and build the archive of ``n`` articles; print and return the results."""
    args = argparse.Namespace(**{**vars(args), "n": n})

    with open("/proc/loadavg") as f:
        load = " ".join(f.read().split()[:3])
    speed = cpu_ms()
    root = prepare(args.n, args.seed, Path(args.out))
    content = root / "content"
    facts = json.loads((root / "generated.json").read_text())
    print(f"bench_site: n={args.n} seed={args.seed} in {root}; {os.cpu_count()} cores, load {load}, "
          f"reference loop {speed:.0f} ms", flush=True)
    raw_mb = sum(p.stat().st_size for p in content.rglob("*.md")) / 2**20
    print(f"content: {raw_mb:.0f} MiB of Markdown, {facts['mean_chars']} characters per body on average", flush=True)

    imp = import_throughput()
    print(f"import: {imp['pages_s']:.1f} raw pages/s ({imp['articles_s']:.0f} articles/s; {imp['how']})", flush=True)

    results: dict = {"n": args.n, "load": load, "cpu_ms": speed, "import": imp}
    builds = [("ours", root / "mkdocs.yml", root / "site")]
    if args.baseline:
        builds.append(("baseline", setup_baseline(root, content), root / "baseline" / "site"))
    for name, config, site in builds:
        best = None
        for _ in range(max(args.runs, 1)):
            r = run_build(config, site, args.timeout)
            if not r["ok"]:
                best = r
                break
            best = r if best is None or r["wall"] < best["wall"] else best
        if not best["ok"]:
            print(f"{name:8}: FAILED ({best['error']}; log {best['log']})", flush=True)
            results[name] = best
            continue
        best.update(html_stats(site))
        if not args.first_query:
            best["first_query"] = None
        else:
            best["first_query"] = first_query(site, content) if name == "ours" else baseline_first_query(site)
        results[name] = best
        fq = best["first_query"]
        if isinstance(fq, dict):
            fq_text = (f"first query {fq['worst'][0] / 1000:.0f} KB gzip worst ({fq['worst'][1]}),"
                       f" {fq['median'] / 1000:.0f} KB median of {fq['queries']}; + page & script {fq['page_and_script'] / 1000:.0f} KB")
        elif fq:
            fq_text = f"first query {fq / 1000:.0f} KB gzip (whole index + worker)"
        else:
            fq_text = "first query n/a (no search index)"
        print(f"{name:8}: {best['site_bytes'] / args.n:,.0f} site bytes per article; {best['wall']:.1f} s ({best['cpu']:.1f} s CPU), peak {best['peak_mib']:.0f} MiB, {best['pages']} article pages,"
              f" HTML {best['html_mean'] / 1000:.1f} KB mean / {best['html_max'] / 1000:.1f} KB max per article,"
              f" site {best['site_bytes'] / 2**20:.0f} MiB in {best['site_files']} files, {best['warnings']} warnings;"
              f" largest page {best['biggest_html'][1]} {best['biggest_html'][0] / 1000:.0f} KB; {fq_text}", flush=True)
        if not args.keep:
            shutil.rmtree(site, ignore_errors=True)
    if args.serve:
        results["serve"] = serve_latency(root / "mkdocs.yml", content, street_names(root), args.timeout)
        print(serve_report(results["serve"]), flush=True)
    if results.get("ours", {}).get("ok") and results.get("baseline", {}).get("ok"):
        ratio = results["ours"]["wall"] / results["baseline"]["wall"]
        results["ratio"] = ratio
        print(f"ratio ours/baseline: {ratio:.2f} (wall), {results['ours']['peak_mib'] / results['baseline']['peak_mib']:.2f} (peak memory)")
    return results


if __name__ == "__main__":
    sys.exit(main())
