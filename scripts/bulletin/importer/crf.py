"""Stage 3 of the learned segmentation: the model that labels a page's lines.

A linear-chain CRF (CRFsuite) over the printed lines of a page, trained on
labelled pages (:mod:`bulletin.importer.train`); the trained model ships in
``model/`` beside this file and is read once per process. Besides the best
labelling it gives, for every line, the model's probability that an article
begins there: the confidence ``--explain`` and the import report show.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pycrfsuite

MODEL_DIR = Path(__file__).resolve().parent / "model"
MODEL = MODEL_DIR / "segmenter.crfsuite"
META = MODEL_DIR / "segmenter.json"


@lru_cache(maxsize=1)
def _tagger() -> tuple[pycrfsuite.Tagger, tuple[str, ...]]:
    tagger = pycrfsuite.Tagger()
    tagger.open(str(MODEL))
    return tagger, tuple(tagger.labels())


def tag(features: list[list[str]]) -> tuple[list[str], list[float]]:
    """Best labels of a page's lines and, per line, P(an article begins here)."""
    if not features:
        return [], []
    tagger, labels = _tagger()
    best = tagger.tag(framed(features))[1:-1]
    starts = [l for l in labels if l.endswith("+")]
    probs = [min(1.0, sum(tagger.marginal(l, i) for l in starts)) for i in range(1, len(features) + 1)]
    return best, probs


def framed(features: list[list[str]], labels: list[str] | None = None):
    """The page between two marker items: CRFsuite has no start or end state, and
    what may open or close a page (a title, not a subheading) is learned from them."""
    feats = [["BOS"]] + features + [["EOS"]]
    return feats if labels is None else (feats, ["BOS"] + labels + ["EOS"])


def meta() -> dict:
    return json.loads(META.read_text(encoding="utf-8"))


def meta_labels() -> tuple[str, ...]:
    return _tagger()[1]
