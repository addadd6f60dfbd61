#!/usr/bin/env python3
"""Leave-one-real-page-out: how the segmentation model does on a real paper it never saw (needs ../shared).

    .venv/bin/python scripts/bench_segmenter_loo.py [--setting NAME ...] [--jobs 2]

For each shared sample, trains the CRF (:func:`bulletin.importer.train.train`) on
``data/segmenter/pages.jsonl.xz`` minus that sample's page (its training sequences are
computed once per setting, then each fold leaves one page's out), imports the sample with
that fold's model (``bulletin import``, in process) and scores it with
``../shared/eval/score_import.py``. Prints each setting's per-sample F1 and mean.
Generated pages score well on unseen seeds, so this is the number that tells
whether a setting generalises to other papers. A setting costs about 2.5 CPU minutes.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import multiprocessing
import os
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from bulletin.importer import crf, train  # noqa: E402

# name -> (CRF params, real-page weight, extra copies of the invented pages, excerpts per page)
SETTINGS = {
    "shipped": ({}, None, 0, 2),
    "c1=0.5": ({"c1": 0.5}, None, 0, 2),
    "c1=0.2": ({"c1": 0.2}, None, 0, 2),
    "c2=0.1": ({"c2": 0.1}, None, 0, 2),
    "c1=0.2,c2=0.1": ({"c1": 0.2, "c2": 0.1}, None, 0, 2),
    "minfreq=5": ({"feature.minfreq": 5}, None, 0, 2),
    "real=20": ({}, 20, 0, 2),
    "real=3": ({}, 3, 0, 2),
    "invented x3": ({}, None, 2, 2),
    "excerpts=1": ({}, None, 0, 1),
    "excerpts=0": ({}, None, 0, 0),
}


_SEQS: list = []  # the setting's training sequences, computed before the folds fork


def _sequences(setting: str) -> list:
    _params, weight, invented_extra, excerpts = SETTINGS[setting]
    whole = train.excerpt
    if excerpts < 2:
        train.excerpt = lambda labels, n: whole(labels, n) if excerpts and n % 2 == 0 else None
    try:
        pages = train.read_pages()
        pages += [p for p in pages if p["name"].startswith("invented-")] * invented_extra
        return list(train.sequences(pages, weight))
    finally:
        train.excerpt = whole


def fold(setting: str, sample: str, shared: str) -> tuple[str, str, float]:
    """Train without ``sample-<sample>``, import that page with the fold's model, score it
    (in a forked process of its own: it swaps the model)."""
    from click.testing import CliRunner  # noqa: PLC0415

    from bulletin.cli import main  # noqa: PLC0415
    sys.path.insert(0, str(Path(shared) / "eval"))
    import score_import  # noqa: PLC0415

    with tempfile.TemporaryDirectory() as tmp:
        model = Path(tmp) / "fold.crfsuite"
        train.train(model, seqs=[s for s in _SEQS if s[0] != f"sample-{sample}"], params=SETTINGS[setting][0])
        crf.MODEL = model
        crf._tagger.cache_clear()
        content = Path(tmp) / "content"
        os.chdir(ROOT)  # the project's taxonomy
        raw = Path(shared) / "samples" / "raw" / f"{sample}.txt"
        gold = Path(shared) / "samples" / "gold" / f"{sample}.yml"
        issue = yaml.safe_load(gold.read_text(encoding="utf-8"))["issue_date"]
        result = CliRunner().invoke(main, ["import", str(raw), "--issue-date", str(issue), "--content", str(content)])
        if result.exit_code:
            raise RuntimeError(f"{sample}: {result.output}")
        with contextlib.redirect_stdout(io.StringIO()):
            score = score_import.score(gold, content)
    return setting, sample, score["f1"]


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=next((p for p in (ROOT.parent / "shared", ROOT.parents[1] / "shared") if p.exists()), ROOT.parent / "shared"))
    ap.add_argument("--setting", action="append", choices=sorted(SETTINGS), help="(default: all)")
    ap.add_argument("--jobs", type=int, default=2, help="folds trained at once (default 2)")
    args = ap.parse_args(argv)
    samples = sorted(p.stem for p in (args.shared / "samples" / "raw").glob("*.txt"))
    for setting in args.setting or list(SETTINGS):
        _SEQS[:] = _sequences(setting)
        with multiprocessing.get_context("fork").Pool(args.jobs, maxtasksperchild=1) as pool:
            got = pool.starmap(fold, [(setting, n, str(args.shared.resolve())) for n in samples], chunksize=1)
        scores = {sample: f1 for _s, sample, f1 in got}
        row = " | ".join(f"{scores[n]:.2f}" for n in samples)
        print(f"| {setting} | {row} | **{sum(scores.values()) / len(samples):.2f}** |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
