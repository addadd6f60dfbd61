#!/usr/bin/env python3
"""Make the segmentation model's layout training data (needs ../shared; not run by CI).

    .venv/bin/python scripts/make_layout_data.py [--seeds 31,32] [--pages 80] [--scans 0]

Generated pages (``../shared/eval/typeset``, seeds kept apart from the
benchmark's seed 1 and the evaluation seeds) are typeset as PDFs the way
``scripts/bench_pdf.py`` does (columns 2, 3, 4 in turn, headlines larger),
read back with the importer's own PDF reader (:mod:`bulletin.importer.pagefile`),
and each line of the text read is labelled by aligning the page's gold
(:mod:`bulletin.importer.align`). ``--scans N`` also scans the first N
pages of the first seed and reads them by OCR (about half a CPU minute a
page). Written to ``data/segmenter/layout.jsonl.xz``: one JSON object a page
(name, raw text, labels, and the layout evidence of every line, as
``raw/<name>.layout.json`` keeps it), which ``make model`` trains on beside
``pages.jsonl.xz``. Deterministic: the same seeds give the same file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from bench_pdf import items_of  # noqa: E402  (also puts ../shared/eval/typeset on the path)
import typeset  # noqa: E402
import typeset_pdf  # noqa: E402
from bulletin.importer import pdfpage, scan  # noqa: E402
from bulletin.importer.align import AlignError, align  # noqa: E402
from bulletin.importer.lines import page_lines  # noqa: E402
from bulletin.importer.pagefile import page_text  # noqa: E402
from bulletin.importer.rawfile import DOUBT_MARK  # noqa: E402
from bulletin.importer.train import LAYOUT_DATA, write_pages  # noqa: E402

KEPT_SEEDS = {1, 777, 4242, 5151, 6161}  # benchmarks and evaluations


def read_pdf(pdf: bytes):
    doc = pdfpage.pdfium.PdfDocument(pdf)
    try:
        (_, boxes, _), = list(pdfpage.pages(doc))
    finally:
        doc.close()
    return page_text(boxes)


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", default="31,32")
    ap.add_argument("--pages", type=int, default=80)
    ap.add_argument("--scans", type=int, default=0)
    args = ap.parse_args(argv)
    seeds = [int(s) for s in args.seeds.split(",")]
    if KEPT_SEEDS & set(seeds):
        ap.error(f"seed {sorted(KEPT_SEEDS & set(seeds))} is kept for benchmarks and evaluation")
    out, skipped = [], []
    for seed in seeds:
        for k, page in enumerate(typeset.generate(args.pages, seed)):
            gold = yaml.safe_load(page.gold_text())
            pdf = typeset_pdf.typeset_one_page(items_of(page), 2 + k % 3, seed=k)
            reads = [("pdf", read_pdf(pdf))]
            if seed == seeds[0] and k < args.scans:
                reads.append(("scan", page_text(scan.ocr_boxes(typeset_pdf.scan(pdf, seed=k)))))
            for kind, read in reads:
                name = f"typeset-{kind}-{seed}-{page.name}"
                text = read.text.replace(DOUBT_MARK, "")
                try:
                    out.append({"name": name, "text": text, "labels": align(page_lines(text), gold), "layout": read.features})
                except AlignError as e:
                    skipped.append(f"{name}: {e}")
    write_pages(LAYOUT_DATA, out, skipped)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
