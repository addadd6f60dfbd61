"""A PDF's or scan's layout evidence reaches the segmentation model (issue 27)."""

from __future__ import annotations

import hashlib
import json

from bulletin.importer.features import page_features
from bulletin.importer.layoutfeatures import attach, records_for, sidecar_path
from bulletin.importer.lines import page_lines

P1 = "本报讯（记者 王敏）近日，幸福街道组织志愿者走进辖区老旧小区，为居民义务维修家电、理发、量血压，受到居民欢迎。"
P2 = "活动现场，志愿者们耐心细致地为居民服务，不少老人早早就排起了队。社区负责人表示，今后将把此类活动常态化。"
P3 = "近日，和平街道在辖区三个社区开设了四点半课堂，为双职工家庭的孩子提供课后看护和作业辅导，受到家长欢迎。"
HEAD = "家门口的“四点半课堂”，让家长下班不再着急"  # a headline's wording, or a short paragraph's
PAGE = f"幸福街道开展志愿服务\n\n\n{P1}\n\n{P2}\n\n\n{HEAD}\n\n{P3}\n\n{P2}\n"


def _records(size: float) -> list[dict]:
    """The page as a PDF would give it: the first headline twice the body, HEAD ``size`` times
    the body (flush left when larger), paragraphs indented."""
    out = []
    for i, l in enumerate(page_lines(PAGE)):
        head = l.text == HEAD and size > 1
        out.append({"line": l.line, "size": 2.0 if i == 0 else size if l.text == HEAD else 1.0,
                    "indent": i > 0 and not head, "gap": 0.5, "column": 0, "lines": 1 if i == 0 or head else 3})
    return out


def test_text_pages_get_no_layout_features():
    lines = page_lines(PAGE)
    assert not any(f.startswith("ly") for feats in page_features(lines) for f in feats)
    with_layout = page_features(attach(lines, _records(2.0)))
    assert "ly_size=huge" in with_layout[3] and "ly_size=body" in with_layout[1]
    assert "ly_from_prev=up" in with_layout[3] and "ly_to_next=down" in with_layout[3]


def test_evidence_is_used_only_for_the_text_it_describes(tmp_path):
    txt = tmp_path / "page.txt"
    txt.write_text(PAGE, encoding="utf-8")
    record = {"source": "page.pdf", "sha256": hashlib.sha256(PAGE.encode()).hexdigest(), "lines": _records(2.0)}
    sidecar_path(txt).write_text(json.dumps(record), encoding="utf-8")
    assert records_for(txt) == _records(2.0)
    txt.write_text(PAGE.replace("四点半", "五点半"), encoding="utf-8")  # an editor's correction
    assert records_for(txt) is None
    assert records_for(tmp_path / "other.txt") is None
    assert attach(page_lines(PAGE), [{"no": "line"}]) == page_lines(PAGE)  # damaged evidence: ignored


def test_training_hides_some_lines_words_never_their_layout():
    import random

    from bulletin.importer.layoutfeatures import masked

    feats = page_features(attach(page_lines(PAGE), _records(2.0)))
    hidden = masked(feats, random.Random(1), p=1.0)
    assert all(f.startswith(("bias", "pos=", "page_", "ly", "-1:ly", "1:ly")) for line in hidden for f in line)
    assert all(any(f.startswith("ly_size=") for f in line) for line in hidden)
    assert masked(feats, random.Random(1), p=0.0) == feats
    assert masked(feats, random.Random(7)) == masked(feats, random.Random(7))
