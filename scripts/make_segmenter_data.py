#!/usr/bin/env python3
"""Make the segmentation model's training data (needs ../shared; not run by CI).

    .venv/bin/python scripts/make_segmenter_data.py [--shared ../shared] [--pages 100] [--seeds 1,2,3,4]

Generates pages with ``../shared/eval/typeset`` (each seed's first N pages),
adds the five shared sample pages and the invented pages of ``tests/golden``, labels every printed line by aligning the
page's gold annotation (:mod:`bulletin.importer.align`) and writes
``data/segmenter/pages.jsonl.xz``: one JSON object a page (name, raw text,
labels). That file is committed, so ``make model`` retrains from the
repository alone. Never use the evaluation seed (777) here.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from bulletin.importer.align import AlignError, align  # noqa: E402
from bulletin.importer.lines import page_lines  # noqa: E402
from bulletin.importer.train import DATA, write_pages  # noqa: E402

EVAL_SEEDS = {777}


def labelled(name: str, text: str, gold: dict) -> dict:
    return {"name": name, "text": text, "labels": align(page_lines(text), gold)}


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=next((p for p in (ROOT.parent / "shared", ROOT.parents[1] / "shared") if p.exists()), ROOT.parent / "shared"))
    ap.add_argument("--pages", type=int, default=100)
    ap.add_argument("--seeds", default="1,2,3,4,5,6,7,8")
    args = ap.parse_args(argv)
    seeds = [int(s) for s in args.seeds.split(",")]
    if EVAL_SEEDS & set(seeds):
        ap.error(f"seed {sorted(EVAL_SEEDS & set(seeds))} is kept for evaluation")
    sys.path.insert(0, str(args.shared / "eval" / "typeset"))
    import typeset  # noqa: PLC0415

    out, skipped = [], []
    for seed in seeds:
        for page in typeset.generate(args.pages, seed):
            gold = yaml.safe_load(page.gold_text())
            try:
                out.append(labelled(f"typeset-{seed}-{page.name}", page.raw, gold))
            except AlignError as e:
                skipped.append(f"typeset-{seed}-{page.name}: {e}")
    for raw in sorted((args.shared / "samples" / "raw").glob("*.txt")):
        gold = yaml.safe_load((args.shared / "samples" / "gold" / f"{raw.stem}.yml").read_text(encoding="utf-8"))
        out.append(labelled(f"sample-{raw.stem}", raw.read_text(encoding="utf-8"), gold))
    for gold_path in sorted((ROOT / "tests" / "golden").glob("inv-*.yml")):  # the repository's invented pages
        gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
        raw = ROOT / "tests" / "pages" / gold["source"]
        out.append(labelled(f"invented-{gold_path.stem}", raw.read_text(encoding="utf-8"), gold))
    write_pages(DATA, out, skipped)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
