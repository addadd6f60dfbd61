#!/usr/bin/env python3
"""Field scores (authors, streets, programmes, dates) on generated pages, in process.

    .venv/bin/python scripts/eval_fields.py --pages 300 --seed 4242 [--shared ../shared] [--misses]

Generates pages with ``../shared/eval/typeset`` (not in CI: a developer's tool),
imports each with :func:`bulletin.importer.pipeline.import_text` in this
process (no subprocess per page, so 300 pages take seconds, not minutes) and
scores the pages with the project's scorer, which scores fields only on the
articles that were segmented right: the figures measure field extraction
apart from segmentation errors. Also counts candidate programmes that match
no gold programme (the editor's review list's noise) and prints each miss
with ``--misses``.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from bulletin.importer.pipeline import import_text  # noqa: E402
from bulletin.model import render_page  # noqa: E402
from bulletin.taxonomy import load_taxonomy  # noqa: E402

FIELDS = ("segmented", "titles", "authors", "streets", "programmes", "dates")


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--seed", type=int, default=4242)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--taxonomy", type=Path, default=ROOT / "taxonomy.yml")
    ap.add_argument("--misses", action="store_true", help="print the scorer's misses of fields")
    args = ap.parse_args(argv)
    typeset_dir = args.shared / "eval" / "typeset"
    if not typeset_dir.is_dir():
        ap.error(f"no generator at {typeset_dir} (pass --shared)")
    sys.path.insert(0, str(typeset_dir))
    import typeset  # noqa: PLC0415

    scorer = typeset.load_scorer()
    taxonomy = load_taxonomy(args.taxonomy)
    tally = {k: [0, 0] for k in FIELDS}
    pages = unsupported = noise = street_noise = 0
    with tempfile.TemporaryDirectory(prefix="eval-fields-") as tmp:
        work = Path(tmp)
        generated = typeset.generate(args.pages, args.seed)
        typeset.write_pages(generated, work, args.seed)
        for page in generated:
            raw = (work / "raw" / f"{page.name}.txt").read_text(encoding="utf-8")
            result = import_text(raw, f"{page.name}.txt", page.issue, taxonomy)
            out = work / "content" / page.name
            out.mkdir(parents=True)
            for slug, article in zip(result.slugs, result.articles):
                (out / f"{slug}.md").write_text(render_page(article), encoding="utf-8")
            buf = io.StringIO()
            with contextlib.redirect_stdout(buf):
                r = scorer.score(work / "gold" / f"{page.name}.yml", out, verbose=args.misses)
            if args.misses:
                misses = [line for line in buf.getvalue().splitlines()
                          if line.strip().split(":")[0] in ("authors", "street", "programme", "date")]
                for line in misses:
                    print(f"{page.name}{line}")
            pages += r["pages"]
            unsupported += r["unsupported"]
            for k, (a, b) in r["tally"].items():
                tally[k][0] += a
                tally[k][1] += b
            junk = _noise(work / "gold" / f"{page.name}.yml", result.articles, scorer)
            noise += len(junk)
            street_noise += sum(1 for j in junk if j.startswith("街道:"))
            if args.misses and junk:
                print(f"{page.name}  noise: {junk}")
    seg = tally["segmented"]
    print(f"pages={args.pages} seed={args.seed} articles={pages} segmented={seg[0]}/{seg[1]}")
    for k in FIELDS[1:]:
        a, b = tally[k]
        print(f"  {k:<11} {a}/{b} = {a / b if b else 0:.3f}")
    print(f"  unsupported tags {unsupported}; tags matching no gold tag of the page: "
          f"programmes {noise - street_noise}, streets {street_noise}")
    return 0


def _noise(gold_path: Path, articles, scorer) -> list[str]:
    """Programme and street tags of all pages that match no gold one of the page."""
    import yaml  # noqa: PLC0415

    gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
    wanted = [p for a in gold["articles"] for p in a["programmes"]]
    found = [p for a in articles for p in a.programmes + a.candidate_programmes]
    streets = {s for a in gold["articles"] for s in a["streets"]}
    return [f for f in found if not scorer.matches_programme(f, wanted)] + \
        [f"街道:{s}" for a in articles for s in a.streets if s not in streets]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
