#!/usr/bin/env python3
"""How well the segmentation model cuts, flags its doubts and how fast it runs (needs ../shared).

    .venv/bin/python scripts/bench_segmenter.py [--pages 300] [--seed 777] [--shared ../shared]

On generated pages of a seed the model was not trained on, compares the lines where
the model opens an article with the lines the gold opens one at (aligned by
:mod:`bulletin.importer.align`). A *wrong boundary* is a spot where one of them opens
an article and the other does not (lines up to two apart are one spot: a kicker
over its title); a *flag* is a decision the import report lists under 请核对分篇
(confidence below ``explain.UNSURE``); it finds a wrong spot if its lines
reach it (give or take a blank line). Prints the share of wrong
boundaries flagged and the false flags per page for a range of thresholds, the line
label accuracy, and the model's pages per CPU second (lines, features, tagging).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from bulletin.importer.align import align  # noqa: E402
from bulletin.importer.explain import UNSURE  # noqa: E402
from bulletin.importer.lines import page_lines  # noqa: E402
from bulletin.importer.segment import boundaries, label_page  # noqa: E402


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=next((p for p in (ROOT.parent / "shared", ROOT.parents[1] / "shared") if p.exists()), ROOT.parent / "shared"))
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--seed", type=int, default=777)
    args = ap.parse_args(argv)
    sys.path.insert(0, str(args.shared / "eval" / "typeset"))
    import typeset  # noqa: PLC0415

    pages = typeset.generate(args.pages, args.seed)
    thresholds = (0.7, 0.8, 0.9, 0.94, 0.95, 0.96, 0.97, 0.98)
    wrong = 0
    flagged = {t: 0 for t in thresholds}
    false = {t: 0 for t in thresholds}
    lines_ok = lines_all = 0
    cpu = 0.0
    for page in pages:
        gold = yaml.safe_load(page.gold_text())
        t0 = time.process_time()
        lines = page_lines(page.raw)
        labels, probs = label_page(lines, page.issue)
        decisions = boundaries(lines, labels, probs)
        cpu += time.process_time() - t0
        want = align(lines, gold)
        lines_ok += sum(a.rstrip("+") == b.rstrip("+") for a, b in zip(labels, want))
        lines_all += len(lines)
        bad = [line.line for line, got, exp in zip(lines, labels, want) if got.endswith("+") != exp.endswith("+")]
        spots = []  # wrong lines next to each other are one wrong spot (a kicker and its title)
        for n in bad:
            if spots and n - spots[-1][-1] <= 2:
                spots[-1].append(n)
            else:
                spots.append([n])
        wrong += len(spots)
        for t in thresholds:
            flags = [d for d in decisions if d.confidence < t]
            span = lambda d: range(d.line - 2, d.line + 2 * len(d.lines) + 1)  # noqa: E731 (its printed lines)
            flagged[t] += sum(any(any(n in span(d) for n in spot) for d in flags) for spot in spots)
            false[t] += sum(not any(n in span(d) for n in bad) for d in flags)
    print(f"{len(pages)} pages (seed {args.seed}): {wrong} wrong boundaries ({wrong / len(pages):.2f} a page), "
          f"line roles right {lines_ok / lines_all:.3f}, model {len(pages) / cpu:.0f} pages per CPU second")
    print("threshold  wrong boundaries flagged  false flags a page")
    for t in thresholds:
        mark = "  <- explain.UNSURE" if t == UNSURE else ""
        print(f"  {t:.2f}     {flagged[t] / max(wrong, 1):.2f} ({flagged[t]}/{wrong})          {false[t] / len(pages):.2f}{mark}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
