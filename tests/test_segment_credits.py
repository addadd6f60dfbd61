"""Assembly after the model: credits a line end cut, credits read as furniture,
bulleted briefs' credits, a byline on the title's line, untitled photo captions
and editors' notes (issue 24's known assembly misses).

Labels are given by hand (``assembled``), or the model is replaced by fixed
labels (``fixed_model``), so these test the assembly apart from the model.
"""

import pytest
from bulletin.importer import segment
from bulletin.importer.captions import split_captions
from bulletin.importer.credits import credits_from_furniture
from bulletin.importer.explain import unsure
from bulletin.importer.lines import page_lines
from test_segment import BODY, BODY2, assembled

TITLE = "三孝口街道：小区停车难有了“解题思路”"
CAPTION = "近日，江苏路街道组织辖区居民开展海滩净滩活动，倡导大家共同守护蓝色海湾。"


def authors(*pairs):
    drafts, _ = assembled(*pairs)
    return [(d.authors, d.text_paragraphs()[0] if d.text_paragraphs() else "") for d in drafts]


def test_a_lead_byline_cut_by_a_line_end_credits_whole_names():
    assert authors(("title+", TITLE), ("byl", "本报讯（记者 汪晓光 通讯员 储雅"), ("body", "婷）10月3日下午，" + BODY)) == [
        (["汪晓光", "储雅婷"], "10月3日下午，" + BODY)]
    assert authors(("title+", TITLE), ("byl", "本报讯 记者俞承志 通讯"), ("body", "员詹雨萌 近日，" + BODY))[0][0] == ["俞承志", "詹雨萌"]
    assert authors(("title+", TITLE), ("byl", "本报讯 记者边晓峰 通讯员"), ("body", "霍雨桐 常立新 近日，" + BODY))[0][0] == [
        "边晓峰", "霍雨桐", "常立新"]
    # a whole byline over a lead that opens with a date: the date stays text, no name added
    assert authors(("title+", TITLE), ("byl", "本报讯 记者易湘君 通讯员龙嘉禾"), ("body", "昨日，" + BODY)) == [
        (["易湘君", "龙嘉禾"], "昨日，" + BODY)]


def test_a_tail_credit_cut_by_a_line_end_credits_whole_names():
    assert authors(("title+", TITLE), ("body", BODY), ("byl", "记者 俞承志 通讯员 詹雨"), ("byl", "萌"))[0][0] == ["俞承志", "詹雨萌"]
    assert authors(("title+", TITLE), ("body", BODY), ("byl", "记者 易湘君 通讯员 龙"), ("byl", "嘉禾"))[0][0] == ["易湘君", "龙嘉禾"]
    drafts, _ = assembled(("title+", TITLE), ("body", BODY), ("byl", "（记者 谭雪松 通讯员 文静怡 冉光"), ("body", "明）"))
    assert drafts[0].authors == ["谭雪松", "文静怡", "冉光明"] and drafts[0].text_paragraphs() == [BODY]


def test_each_bulleted_item_of_a_brief_is_credited_at_its_start_or_end():
    drafts, _ = assembled(("title+", "简讯"), ("body", "●9月21日,区公安局举办主题演讲活动。 通讯员 安倩"),
                          ("body", "●本报讯（通讯员 蒲昊天）9月23日,区委支部开展主题党日。"))
    assert drafts[0].authors == ["安倩", "蒲昊天"]
    assert drafts[0].text_paragraphs() == ["●9月21日，区公安局举办主题演讲活动。", "●9月23日，区委支部开展主题党日。"]


def test_a_byline_printed_on_the_titles_line():
    drafts, _ = assembled(("title+", TITLE + " 本报记者 汪晓光"), ("body", BODY))
    assert (drafts[0].title, drafts[0].authors) == (TITLE, ["汪晓光"])
    drafts, _ = assembled(("title+", "社区图书馆 文化新地标"), ("body", BODY))
    assert (drafts[0].title, drafts[0].authors) == ("社区图书馆 文化新地标", [])


def test_a_signature_read_as_furniture_credits_the_article_above():
    lines = page_lines("\n\n".join([TITLE, BODY, "南开区委组织部", "第3版", "镜头", CAPTION]))
    labels = ["title+", "body", "furn", "furn", "furn", "body+"]
    credits_from_furniture(lines, labels, set())
    assert labels == ["title+", "body", "byl", "furn", "furn", "body+"]  # the folio and a column label stay
    lines = page_lines("\n\n".join([TITLE, BODY, "（记者 段丽萍 通讯员 杨明轩 字春燕", "）", "第3版"]))
    labels = ["title+", "body", "furn", "furn", "furn"]
    credits_from_furniture(lines, labels, set())
    assert labels == ["title+", "body", "byl", "byl", "furn"]
    drafts, _ = segment.segment_lines(lines, labels, "\n\n".join(l.text for l in lines))
    assert drafts[0].authors == ["段丽萍", "杨明轩", "字春燕"]


def test_an_untitled_caption_after_another_article_opens_its_own():
    page = [TITLE, "本报讯（通讯员 寇晓宁）" + BODY, CAPTION, "于海涛 摄", "第3版"]
    lines = page_lines("\n\n".join(page))
    assert split_captions(lines, ["title+", "body", "body", "head", "furn"]) == ["title+", "body", "body+", "byl", "furn"]
    # the credit at the end of the caption's line; two captions in a run
    lines = page_lines("\n\n".join([TITLE, BODY, CAPTION + " 于海涛 摄", CAPTION + " 王敏 摄"]))
    assert split_captions(lines, ["title+", "body", "body", "body"]) == ["title+", "body", "body+", "body+"]
    # a caption inside an article, followed by more of it, stays in it
    lines = page_lines("\n\n".join([TITLE, BODY, CAPTION, "本报记者 朱江森 摄", BODY2]))
    assert split_captions(lines, ["title+", "body", "body", "byl", "body"]) == ["title+", "body", "body", "byl", "body"]
    # a long paragraph before a credit is a report's end, not a caption
    lines = page_lines("\n\n".join([TITLE, BODY2, BODY, "于海涛 摄"]))
    assert split_captions(lines, ["title+", "body", "body", "byl"]) == ["title+", "body", "body", "byl"]


@pytest.fixture
def fixed_model(monkeypatch):
    def use(labels):
        monkeypatch.setattr(segment.crf, "tag", lambda feats: (list(labels), [0.0] * len(labels)))
    return use


def test_a_headline_under_an_editors_note_stays_in_the_notes_article(fixed_model):
    lines = page_lines("\n\n".join(["【编者按】", "本版今起开设栏目，记录各街道的新做法。", TITLE, BODY]))
    fixed_model(["note+", "note", "title+", "body"])
    assert segment.label_page(lines)[0] == ["note+", "note", "title", "body"]
    # a note the model opened without the 编者按 mark (a poem's lines) is left as it is
    lines = page_lines("\n\n".join(["雾从山腰漫下来", "竹叶上挂着昨夜的雨", TITLE, BODY]))
    fixed_model(["note+", "note", "title+", "body"])
    assert segment.label_page(lines)[0] == ["note+", "note", "title+", "body"]


def test_a_cut_is_as_sure_as_the_model_says_and_doubt_spreads_over_a_two_line_headline():
    lines = page_lines("\n\n".join([TITLE, BODY, "龙观乡：", "山区“共富工坊”开到家门口", BODY2]))
    # a cut a rule made against the model, and a two-line headline the model half-sees
    decisions = segment.boundaries(lines, ["title+", "body", "body+", "body", "body"], [1.0, 0.0, 0.01, 0.03, 0.0])
    assert [(d.line, d.opens, d.confidence) for d in decisions] == [(1, True, 1.0), (5, True, 0.01)]
    decisions = segment.boundaries(lines, ["title+", "body", "body", "body", "body"], [1.0, 0.0, 0.025, 0.025, 0.0])
    assert [(d.line, d.opens, d.confidence) for d in decisions] == [(1, True, 1.0), (5, False, 0.95)]
    assert unsure(decisions) == decisions[1:]
