"""The learned segmentation's stages: alignment of gold to lines, features, the shipped model."""

from __future__ import annotations

import hashlib

from bulletin.importer import crf, train
from bulletin.importer.align import align
from bulletin.importer.features import page_features
from bulletin.importer.lines import page_lines

BODY = "街道组织志愿者走访辖区困难家庭，送去米面油等生活物资，并详细了解他们的生活需求和困难。"
LEAD = "日前，西街社区在活动室召开居民议事会，三十多位居民代表围绕停车难题提出了意见和建议。"
MORE = "下一步，社区将建立议事台账，定期公开办理进度，让居民的意见件件有回音。"
PAGE = f"""东城社区报 第12期 2024年3月1日

西街社区召开议事会
□通讯员 王一
{LEAD[:24]}
{LEAD[24:]}
议事有了新去处
{MORE}
（记者 李二）
【简讯】
●东街社区开展义诊
{BODY}
（上接第二版）{MORE[:20]}
"""


def test_gold_aligned_to_lines():
    lines = page_lines(PAGE)
    gold = {"articles": [
        {"title": "西街社区召开议事会", "starts": LEAD[:10], "ends": MORE[-10:], "authors": ["王一", "李二"]},
        {"starts": "东街社区开展义诊", "ends": BODY[-12:], "authors": []},  # an untitled bulleted item
    ]}
    got = align(lines, gold)
    assert got[:4] == ["furn", "title+", "byl", "body"]
    assert got[5] == "head"  # a short line of its own between paragraphs
    assert got[7] == "byl"  # names the article's author after its text
    assert got[8:10] == ["col+", "body"]  # the column label opens the article below it
    assert got[-1] == "cont"  # text continued from another page is no article


def test_features_are_shapes_with_their_neighbours():
    lines = page_lines(PAGE)
    feats = page_features(lines)
    assert len(feats) == len(lines)
    assert "byline=1" in feats[2] and "-1:byline=1" in feats[3] and "1:byline=1" in feats[1]
    assert "issue_no=1" in feats[0] and "dateline=1" in feats[3]
    assert "column=1" in feats[8] and "from=1" in feats[-1] and "first=bullet" in feats[9]
    assert not any(f.startswith(("word", "char")) or "西街" in f for line in feats for f in line)


def test_model_labels_every_line_with_start_probabilities():
    labels, probs = crf.tag(page_features(page_lines(PAGE)))
    assert len(labels) == len(probs) == len(page_lines(PAGE))
    assert set(labels) <= set(crf.meta_labels()) and all(0 <= p <= 1 for p in probs)


def test_shipped_model_is_current():
    """Fails when features, labelled data or parameters changed without `make model`."""
    assert crf.meta()["fingerprint"] == train.fingerprint(), "模型已过期：运行 make model 并提交 segmenter.crfsuite"
    assert crf.meta()["sha256"] == hashlib.sha256(crf.MODEL.read_bytes()).hexdigest()


def test_training_rebuilds_the_shipped_model_byte_for_byte(tmp_path):
    info = train.train(tmp_path / "m.crfsuite")
    assert (tmp_path / "m.crfsuite").read_bytes() == crf.MODEL.read_bytes()
    assert info["fingerprint"] == crf.meta()["fingerprint"]


def test_training_variations_keep_labels_and_seed():
    """augment.vary: another paper's shapes, the same labels' meaning, the same copy for the same seed."""
    import random

    from bulletin.importer import augment
    from bulletin.importer.lines import Line

    def line(text: str, n: int) -> Line:
        return Line(text, n, True, True, False)

    lines = [line("古城保护与民生改善同步推进——", 1), line("古宅新生留住老味道", 2), line("（记者 陆芷若）", 3),
             line("一、摸清家底，分类施策", 4), line(LEAD, 5), line("院长带头", 6), line("小院变了模样", 7), line(MORE, 8)]
    labels = ["kick+", "title", "byl", "head", "body", "head", "head", "body"]
    once = augment.vary(lines, labels, random.Random("p"), p=1.0)
    assert once == augment.vary(lines, labels, random.Random("p"), p=1.0)  # make model stays byte-identical
    got, ys = once
    assert len(got) == len(ys) == 7 and ys == ["title+", "byl", "head", "body", "head", "head", "body"]
    assert got[0].text.startswith("古城保护") and got[0].text.endswith("古宅新生留住老味道")  # kicker run into its title
    assert "记者 陆芷若" in got[1].text  # the credit in some paper's brackets, its names kept
    assert [l.text for l in got if l.text in (LEAD, MORE)] == [LEAD, MORE]  # text lines untouched
