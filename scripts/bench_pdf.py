#!/usr/bin/env python3
"""Importing pages as PDF and as scans, scored like text pages (not part of the test run).

    .venv/bin/python scripts/bench_pdf.py pdf  [--pages 30] [--seed 1]   # typeset pages as 2-, 3-, 4-column PDFs
    .venv/bin/python scripts/bench_pdf.py scan [--pages 3]  [--seed 1]   # the same pages scanned (OCR)
    .venv/bin/python scripts/bench_pdf.py samples [--scan]               # the five shared sample pages
    .venv/bin/python scripts/bench_pdf.py big  [--pdf-pages 500]         # one long PDF: time and peak memory

Pages come from ``../shared/eval/typeset`` (the seeded generator and its gold);
each page's items are typeset with ``scripts/typeset_pdf.py`` (headlines
larger, columns cycling 2, 3, 4) and imported with ``bulletin import`` as a
PDF, or as a 200 dpi scan (turned up to 1.2°, noise, uneven light). Every
score is the shared scorer's, pooled over all pages (F1 over all articles),
beside the score of importing the generator's own raw text of the same pages
(what the text importer does without the page). ``pdf`` times the page
reading alone (PDF -> raw text) and the whole import; ``scan`` runs each
scan's import in its own process and reports its wall and CPU time and peak memory,
and the character accuracy of the OCR text against the page's text
(matched characters / printed characters, NFKC-folded, whitespace ignored).
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import io
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# ../shared beside the clone (a worktree under wt/ looks one more level up)
SHARED = next((p / "shared" / "eval" for p in (ROOT.parent, ROOT.parent.parent) if (p / "shared" / "eval").is_dir()),
              ROOT.parent / "shared" / "eval")
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(SHARED / "typeset"))

import typeset  # noqa: E402
import typeset_pdf  # noqa: E402
import yaml  # noqa: E402
from bulletin.editing.imports import Summary, import_file  # noqa: E402
from bulletin.editing.pageimport import import_page_file  # noqa: E402
from bulletin.importer import pdfpage  # noqa: E402
from bulletin.importer.pagefile import page_text  # noqa: E402
from bulletin.taxonomy import load_taxonomy  # noqa: E402

KINDS = {"title": "title", "kicker": "kicker", "subtitle": "subtitle", "label": "label", "banner": "label",
         "notelabel": "label", "furniture": "furniture", "body": "body", "note": "body"}
BULLETIN = Path(sys.executable).parent / "bulletin"


def items_of(page) -> list[tuple[str, str]]:
    """A generated page's items as the typesetter takes them (subheads, bylines: body size, flush left)."""
    return [(KINDS.get(it.kind, "plain"), it.prefix + it.text + it.suffix) for it in page.items]


def _scrambled(text: str, head: str) -> bool:
    """The gold's headline with its parts in another order (a sample's OCR read 以点到面"做"出实效 backwards)."""
    a, b = (re.sub(r"[\s·:：]", "", x) for x in (text, head))
    return len(a) >= 6 and sum(min(a.count(c), b.count(c)) for c in set(a)) >= 0.85 * max(len(a), len(b))


def sample_items(raw: Path, gold: dict) -> list[tuple[str, str]]:
    """A sample raw page's paragraphs, those the gold names as headline parts set as such."""
    heads: dict[str, str] = {}
    for a in gold["articles"]:
        for key in ("title", "kicker", "subtitle"):
            if a.get(key):
                heads[re.sub(r"\s+", "", str(a[key]))] = "title" if key == "title" else "subtitle"
    out = []
    for para in re.split(r"\n\s*\n", raw.read_text(encoding="utf-8")):
        text = "".join(line.strip() for line in para.splitlines() if line.strip())
        if not text:
            continue
        bare = re.sub(r"\s+", "", text)
        kind = heads.get(bare) or next((k for h, k in heads.items() if bare and bare in h and len(bare) >= 4), None) \
            or next((k for h, k in heads.items() if _scrambled(bare, h)), "body")
        out.append((kind, text))
    return out


def pooled(scorer, results: list[dict]) -> str:
    total = {"pages": 0, "f1": 0.0, "tally": {}, "unsupported": 0}
    for r in results:
        total["pages"] += r["pages"]
        total["unsupported"] += r["unsupported"]
        for k, (a, b) in r["tally"].items():
            t = total["tally"].setdefault(k, [0, 0])
            t[0], t[1] = t[0] + a, t[1] + b
    correct, want = total["tally"]["segmented"]
    p = correct / total["pages"] if total["pages"] else 0.0
    r = correct / want if want else 0.0
    total["f1"] = 2 * p * r / (p + r) if correct else 0.0
    return scorer.summary(total)


def score(scorer, gold: Path, content: Path) -> dict:
    with contextlib.redirect_stdout(io.StringIO()):
        return scorer.score(gold, content)


def char_accuracy(printed: str, read: str) -> float:
    # NFKC, as the scorer folds text: a full-width comma read for a half-width one is no error.
    a = re.sub(r"\s+", "", unicodedata.normalize("NFKC", printed))
    b = re.sub(r"\s+", "", unicodedata.normalize("NFKC", read.replace("⟦待核⟧", "")))
    matched = sum(m.size for m in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())
    return matched / len(a) if a else 0.0


def cases(args, work: Path):
    """(name, issue date, items, gold path, the generator's raw text path)."""
    if args.mode == "samples":
        for raw in sorted((SHARED.parent / "samples" / "raw").glob("*.txt")):
            gold = SHARED.parent / "samples" / "gold" / f"{raw.stem}.yml"
            data = yaml.safe_load(gold.read_text(encoding="utf-8"))
            yield raw.stem, data["issue_date"], sample_items(raw, data), gold, raw
        return
    pages = typeset.generate(args.pages, args.seed)
    typeset.write_pages(pages, work / "gen", args.seed)
    for p in pages:
        yield p.name, p.issue, items_of(p), work / "gen" / "gold" / f"{p.name}.yml", work / "gen" / "raw" / f"{p.name}.txt"


def big(n: int) -> int:
    """Import one PDF of ``n`` pages (generated pages flowed on, four columns) in a child process."""
    import pypdfium2 as pdfium

    def sheets(pdf: Path) -> int:
        doc = pdfium.PdfDocument(pdf)
        try:
            return len(doc)
        finally:
            doc.close()

    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as tmp:
        pdf = Path(tmp) / "2021-05-28-big.pdf"
        generated, batch = 0, 20
        items: list[tuple[str, str]] = []
        while True:  # add generated pages until the PDF is long enough, estimating the batch each time
            items += [it for p in typeset.generate(batch, 1000 + generated) for it in items_of(p)]
            generated += batch
            pdf.write_bytes(typeset_pdf.typeset(items, 4))
            pages = sheets(pdf)
            if pages >= n:
                break
            batch = max(5, int((n - pages) * generated / max(pages, 1)) + 5)
        t = time.perf_counter()
        proc = subprocess.run([str(BULLETIN), "import", str(pdf), "--content", str(Path(tmp) / "content"),
                               "--taxonomy", str(ROOT / "taxonomy.yml")], capture_output=True, text=True)
        wall = time.perf_counter() - t
        use = resource.getrusage(resource.RUSAGE_CHILDREN)
        written = sum(1 for _ in (Path(tmp) / "content").rglob("*.md"))
        print(f"{pages}-page PDF ({pdf.stat().st_size / 2**20:.1f} MB): exit {proc.returncode}, {wall:.0f} s "
              f"({pages / wall:.1f} pages/s wall, {(use.ru_utime + use.ru_stime) / pages * 1000:.0f} CPU ms a page), "
              f"peak memory {use.ru_maxrss / 1024:.0f} MiB, {written} articles written")
    return 0


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("mode", choices=["pdf", "scan", "samples", "big"])
    ap.add_argument("--pdf-pages", type=int, default=500)
    ap.add_argument("--pages", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--scan", action="store_true", help="samples: scan them too")
    ap.add_argument("--keep", type=Path, help="copy the raw texts read from PDFs and scans to DIR")
    args = ap.parse_args(argv)
    if args.mode == "big":
        return big(args.pdf_pages)
    scorer = typeset.load_scorer()
    taxonomy = load_taxonomy(ROOT / "taxonomy.yml")
    scanning = args.mode == "scan" or args.scan
    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as tmp:
        work = Path(tmp)
        text_r, pdf_r, scan_r, read_s, import_s, scan_s, accs, peaks, cpus, npdf = [], [], [], 0.0, 0.0, [], [], [], [], 0
        read_c = import_c = 0.0
        for k, (name, day, items, gold, raw) in enumerate(cases(args, work)):
            columns = 2 + k % 3
            pdf = work / "pdf" / f"{name}.pdf"
            pdf.parent.mkdir(parents=True, exist_ok=True)
            pdf.write_bytes(typeset_pdf.typeset_one_page(items, columns, seed=k))
            content = work / "text" / name
            import_file(raw, day, content, taxonomy, False, Summary())
            text_r.append(score(scorer, gold, content))
            t, c = time.perf_counter(), time.process_time()
            doc = pdfpage.open_pdf(pdf)
            for _, boxes, _ in pdfpage.pages(doc):
                page_text(boxes)
                npdf += 1
            doc.close()
            read_s += time.perf_counter() - t
            read_c += time.process_time() - c
            content = work / "pdfc" / name
            t, c = time.perf_counter(), time.process_time()
            import_page_file(pdf, day, content, taxonomy, False, Summary(), work / "pdfraw")
            import_s += time.perf_counter() - t
            import_c += time.process_time() - c
            pdf_r.append(score(scorer, gold, content))
            line = f"{name} {columns} columns: text F1={text_r[-1]['f1']:.2f} pdf F1={pdf_r[-1]['f1']:.2f}"
            if scanning:
                img = work / "scan" / f"{name}.png"
                img.parent.mkdir(parents=True, exist_ok=True)
                typeset_pdf.scan(pdf.read_bytes(), seed=k).save(img)
                content = work / "scanc" / name
                t = time.perf_counter()
                cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
                subprocess.run([str(BULLETIN), "import", str(img), "--issue-date", str(day), "--content", str(content),
                                "--taxonomy", str(ROOT / "taxonomy.yml"), "--raw-dir", str(work / "scanraw")],
                               capture_output=True, text=True)
                scan_s.append(time.perf_counter() - t)
                cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpus.append(cpu1.ru_utime + cpu1.ru_stime - cpu0.ru_utime - cpu0.ru_stime)
                peaks.append(cpu1.ru_maxrss / 1024)
                scan_r.append(score(scorer, gold, content))
                read = (work / "scanraw" / f"{name}.txt").read_text(encoding="utf-8") if (work / "scanraw" / f"{name}.txt").exists() else ""
                accs.append(char_accuracy("".join(t for _, t in items), read))
                line += f" scan F1={scan_r[-1]['f1']:.2f} chars={accs[-1]:.3f} {scan_s[-1]:.1f}s ({cpus[-1]:.1f} CPU s)"
            print(line, flush=True)
        if args.keep:
            import shutil
            for sub in ("pdfraw", "scanraw", "pdf", "scan"):
                if (work / sub).exists():
                    shutil.copytree(work / sub, args.keep / sub, dirs_exist_ok=True)
        n = len(pdf_r)
        print(f"\n{n} pages ({args.mode}, seed {args.seed}), columns 2/3/4 in turn")
        print("text import of the generator's raw text:", pooled(scorer, text_r))
        print("PDF import:                             ", pooled(scorer, pdf_r))
        print(f"PDF reading (text layer -> raw text): {npdf / read_s:.1f} pages/s wall, {npdf / read_c:.1f} per CPU second; "
              f"whole PDF import: {n / import_s:.1f} pages/s wall, {n / import_c:.1f} per CPU second")
        if scanning:
            print("scan import:                            ", pooled(scorer, scan_r))
            print(f"scan character accuracy: mean {sum(accs) / n:.3f}, worst {min(accs):.3f}; "
                  f"import {sum(scan_s) / n:.1f} s/page wall (worst {max(scan_s):.1f}), {sum(cpus) / n:.1f} CPU s/page; "
                  f"peak memory {max(peaks):.0f} MiB")
        print("load average (1, 5, 15 min) at the end: %.1f %.1f %.1f on %d cores" % (*os.getloadavg(), os.cpu_count()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
