#!/usr/bin/env python3
"""Import speed and memory on big inputs (not part of the test run).

    .venv/bin/python scripts/bench_import.py pages   [--copies 100]   # raw pages/s
    .venv/bin/python scripts/bench_import.py big     [--mb 50]        # one 50 MB raw file
    .venv/bin/python scripts/bench_import.py many    [--files 10000]  # 10,000 raw files, one run
    .venv/bin/python scripts/bench_import.py all
    .venv/bin/python scripts/bench_import.py pages --c-yaml   # experiment: libyaml's emitter

Inputs are made from the example pages in raw/*.txt in a temp folder: each
copy gets its own serial number in every paragraph so articles stay distinct.
``big`` and ``many`` run the real ``bulletin import`` command in a child
process and report its wall time and peak memory (max RSS), and for ``many``
also the peak RSS after the first 10% of files, to show it stays flat.
``pages`` times ``import_file`` in this process after start-up (one core).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
EXAMPLES = sorted((ROOT / "raw").glob("*.txt"))
BULLETIN = Path(sys.executable).parent / "bulletin"


def numbered_page(text: str, serial: int) -> str:
    """The page with ``serial`` worked into its paragraphs (distinct articles, same shape)."""
    return re.sub(r"(?m)^(\S.{20,})$", lambda m: m.group(1) + f"（第{serial}号）" if m.group(1)[-1] in "。！？" else m.group(1), text)


def make_big(path: Path, mb: int) -> int:
    """One raw file of about ``mb`` MB: example pages, numbered, one after another."""
    pages = [p.read_text(encoding="utf-8") for p in EXAMPLES]
    size, serial = 0, 0
    with open(path, "w", encoding="utf-8") as fh:
        while size < mb * 2**20:
            chunk = numbered_page(pages[serial % len(pages)], serial) + "\n\n\n"
            fh.write(chunk)
            size += len(chunk.encode("utf-8"))
            serial += 1
    return serial


def make_many(folder: Path, n: int) -> list[Path]:
    pages = [p.read_text(encoding="utf-8") for p in EXAMPLES]
    out = []
    for i in range(n):
        p = folder / f"page-{i:05d}.txt"
        p.write_text(numbered_page(pages[i % len(pages)], i), encoding="utf-8")
        out.append(p)
    return out


def run_cli(args: list[str], cwd: Path) -> tuple[float, int, int, str]:
    """Wall seconds, peak RSS (KiB) of this one child (os.wait4), exit code, stderr."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen([str(BULLETIN), *args], cwd=cwd, stdout=subprocess.DEVNULL, stderr=err,
                                env={**os.environ, "COLUMNS": "100"})
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        return wall, usage.ru_maxrss, proc.returncode, err.read().decode("utf-8", "replace")


def use_c_yaml() -> None:
    """Swap model's YAML dumper for the C one, after checking it writes the same bytes."""
    import yaml
    from bulletin import model

    class CDumper(yaml.CSafeDumper):
        def ignore_aliases(self, data) -> bool:
            return True

    for page in sorted((ROOT / "content").rglob("*.md")):
        meta, _ = model.split_page(page.read_text(encoding="utf-8"), page)
        args = dict(allow_unicode=True, sort_keys=False, width=1000)
        assert yaml.dump(meta, Dumper=CDumper, **args) == yaml.dump(meta, Dumper=model._Dumper, **args), page
    model._Dumper = CDumper


def bench_pages(copies: int) -> None:
    from bulletin.editing.imports import Summary, import_file
    from bulletin.taxonomy import load_taxonomy

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        files = []
        for i in range(copies):
            for src in EXAMPLES:
                p = tmp / "raw" / f"{src.stem}-{i:04d}.txt"
                p.parent.mkdir(exist_ok=True)
                p.write_text(numbered_page(src.read_text(encoding="utf-8"), i), encoding="utf-8")
                files.append(p)
        taxonomy = load_taxonomy(ROOT / "taxonomy.yml")
        summary = Summary(files=len(files))
        import_file(files[0], dt.date(2021, 5, 28), tmp / "warm", taxonomy, False, Summary())  # start-up: jieba etc.
        start, cpu = time.perf_counter(), time.process_time()
        for p in files:
            import_file(p, dt.date(2021, 5, 28), tmp / "content", taxonomy, False, summary)
        secs = time.perf_counter() - start
        cpu = time.process_time() - cpu
        pages = sum(summary.status.values())
        print(f"pages: CPU {cpu:.2f} s = {len(files) / cpu:.0f} raw pages per CPU second (wall time below counts other load)")
        print(f"pages: {len(files)} raw pages ({pages} articles) in {secs:.2f} s = "
              f"{len(files) / secs:.0f} raw pages/s, {pages / secs:.0f} articles/s (one core, after start-up)")


def bench_big(mb: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        raw = tmp / "big-2021-05-28.txt"
        copies = make_big(raw, mb)
        size = raw.stat().st_size
        wall, peak, code, err = run_cli(["import", str(raw), "--content", str(tmp / "content"),
                                         "--taxonomy", str(ROOT / "taxonomy.yml")], tmp)
        pages = sum(1 for _ in (tmp / "content").rglob("*.md"))
        print(f"big: {size / 2**20:.1f} MB ({copies} example pages in one file) -> {pages} pages in {wall:.1f} s, "
              f"peak RSS {peak / 1024:.0f} MB, exit {code}")
        if code:
            print(err[-2000:])


def bench_many(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "raw").mkdir()
        files = make_many(tmp / "raw", n)
        tenth = files[: max(1, n // 10)]
        common = ["--issue-date", "2021-05-28", "--taxonomy", str(ROOT / "taxonomy.yml")]
        # First a tenth of the files alone (its peak RSS), then all of them in a fresh content dir.
        wall10, peak10, _, _ = run_cli(["import", *map(str, tenth), "--content", str(tmp / "c10"), *common], tmp)
        shutil.rmtree(tmp / "c10")
        wall, peak, code, err = run_cli(["import", *map(str, files), "--content", str(tmp / "content"), *common], tmp)
        pages = sum(1 for _ in (tmp / "content").rglob("*.md"))
        print(f"many: {len(tenth)} files: {wall10:.1f} s, peak RSS {peak10 / 1024:.0f} MB; "
              f"{n} files -> {pages} pages in {wall:.1f} s ({n / wall:.0f} files/s incl. start-up), "
              f"peak RSS {peak / 1024:.0f} MB, exit {code}")
        if code:
            print(err[-2000:])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["pages", "big", "many", "all"])
    ap.add_argument("--copies", type=int, default=100, help="copies of each example page for `pages`")
    ap.add_argument("--mb", type=int, default=50, help="size of the file for `big`")
    ap.add_argument("--files", type=int, default=10000, help="number of files for `many`")
    ap.add_argument("--c-yaml", action="store_true",
                    help="`pages` only: front matter written with libyaml's CSafeDumper (an experiment; the output "
                         "must stay byte-identical for the checksums, which this checks)")
    a = ap.parse_args()
    if a.c_yaml:
        use_c_yaml()
    if a.what in ("many", "all"):
        bench_many(a.files)
    if a.what in ("big", "all"):
        bench_big(a.mb)
    if a.what in ("pages", "all"):
        bench_pages(a.copies)


if __name__ == "__main__":
    main()
