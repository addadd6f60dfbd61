"""Layouts real bulletin pages show, one small page each.

Whole pages go through the model; ``assembled`` gives the lines their labels
by hand, so the assembly (credits, captions, leftovers) is tested apart from
the model's decisions.
"""

import datetime as dt

from bulletin.importer.lines import page_lines
from bulletin.importer.segment import classify, issue_furniture, label_page, segment, segment_lines, split_headline

BODY = "街道召开专题会议，部署下一阶段重点工作，居民代表和社区干部共四十余人参加了会议并进行了讨论。会上，各社区书记逐一汇报了辖区老旧小区改造、垃圾分类和为老服务的进展，街道党工委书记对下一步工作提出了具体要求。"
BODY2 = "会议要求各社区结合实际，细化任务清单，确保各项工作落到实处，切实提升居民群众的获得感。据了解，今年以来街道已累计解决居民反映的急难愁盼问题一百二十余件，群众满意率明显提升。"




def cut(text):
    drafts, leftovers = segment(text)
    return [(d.kicker, d.title, d.subtitle, d.authors, d.kind) for d in drafts], leftovers


def assembled(*pairs):
    """(label, text) pairs, one printed line each -> drafts and leftovers."""
    text = "\n\n".join(t for _, t in pairs)
    return segment_lines(page_lines(text), [lab for lab, _ in pairs], text)


def test_kicker_with_dash_on_its_own_line_and_inline():
    assert split_headline(["通州区石港镇聚焦群众关心的问题——", "延伸网格触角 做群众知心人"]) == (
        "通州区石港镇聚焦群众关心的问题——", "延伸网格触角 做群众知心人", None)
    assert split_headline(["海门临江新区通过广宣传、多动员—— 打响秸秆禁烧攻坚战"]) == (
        "海门临江新区通过广宣传、多动员——", "打响秸秆禁烧攻坚战", None)
    assert split_headline(["筑牢安全防线", "——记街道安全生产月活动"]) == (None, "筑牢安全防线", "——记街道安全生产月活动")


def test_two_line_headline_kicker_when_second_line_names_the_actor():
    assert split_headline(["百舸争流 争先创优在行动", "崇川区举办主题党日示范活动"]) == (
        "百舸争流 争先创优在行动", "崇川区举办主题党日示范活动", None)
    assert split_headline(["巩固卫生城市创建成果 谱就城市塑造新华章", "中心路街道 楼院从无人管到人人管"])[1] == "中心路街道 楼院从无人管到人人管"


def test_classify_shapes():
    assert classify("□通讯员 丁艳芬")[0] == "byline"
    assert classify("●9月21日，区公安局举办活动。")[0] == "brief"
    assert classify(BODY)[0] == "body"
    assert classify("延伸网格触角 做群众知心人")[0] == "heading"
    assert classify("1")[0] == "junk"


def test_byline_before_body_and_next_headline_with_subtitle():
    drafts, left = assembled(("title+", "以实干推进基层治理"), ("byl", "□通讯员 丁艳芬"), ("body", BODY), ("body", BODY2),
                             ("title+", "不断提升居民的幸福感"), ("sub", "街道积极推进理事会有效运作"), ("byl", "□通讯员 鲁瑛"), ("body", BODY))
    assert [(d.kicker, d.title, d.subtitle, d.authors, d.kind) for d in drafts] == [
        (None, "以实干推进基层治理", None, ["丁艳芬"], "article"),
        (None, "不断提升居民的幸福感", "街道积极推进理事会有效运作", ["鲁瑛"], "article"),
    ]
    assert left == []


def test_byline_after_body_closes_article_and_subheadings_stay_inside():
    page = f"中心路街道 楼院从“无人管”到“人人管”\n\n{BODY}\n\n党建引领,充分发挥基层党组织作用\n\n{BODY2}\n\n(通讯员 马俊阳)\n\n探索楼院治理新模式 持续提升楼院环境\n\n{BODY}\n\n(记者 安晨莹 刘耀谷)"
    drafts, _ = segment(page)
    assert [d.title for d in drafts] == ["中心路街道 楼院从“无人管”到“人人管”", "探索楼院治理新模式 持续提升楼院环境"]
    assert ("sub", "党建引领，充分发挥基层党组织作用") in drafts[0].paragraphs
    assert drafts[1].authors == ["安晨莹", "刘耀谷"]


def test_colon_subheadings_do_not_start_articles():
    page = f"零距离家园理事会有效运作\n\n□通讯员 鲁瑛\n\n{BODY}\n\n金坛居民区:\n\n{BODY2}\n\n明确问题清单\n\n{BODY2}"
    drafts, _ = segment(page)
    assert len(drafts) == 1
    assert ("sub", "金坛居民区：") in drafts[0].paragraphs and ("sub", "明确问题清单") in drafts[0].paragraphs


def test_byline_inside_first_paragraph():
    drafts, _ = segment(f"青浦区召开推进会\n\n本报讯(记者朱江森 通讯员张梦原){BODY}")
    assert drafts[0].authors == ["朱江森", "张梦原"]
    assert drafts[0].paragraphs[0] == ("text", BODY)
    assert drafts[0].bylines == ["本报讯（记者朱江森 通讯员张梦原）"]


def test_organisation_byline_on_its_own_line():
    drafts, _ = assembled(("title+", "党建引领基层治理"), ("body", BODY), ("byl", "青浦区委组织部"), ("title+", "第二篇文章标题"), ("body", BODY2))
    assert drafts[0].authors == ["青浦区委组织部"]
    assert [d.title for d in drafts] == ["党建引领基层治理", "第二篇文章标题"]


def test_street_prefix_on_its_own_line_joins_the_headline():
    drafts, _ = segment(f"夏阳街道：\n\n“睦邻议事厅”让居民自治有了新平台\n\n本报讯(记者朱江森 通讯员张梦原){BODY}")
    assert drafts[0].title == "夏阳街道：“睦邻议事厅”让居民自治有了新平台"
    assert drafts[0].authors == ["朱江森", "张梦原"]


def test_stray_text_is_reported_not_lost():
    drafts, leftovers = assembled(("furn", "第3版"), ("title+", "标题一"), ("body", BODY), ("byl", "(通讯员 李娟)"), ("title+", "没有正文的标题"))
    assert [d.title for d in drafts] == ["标题一"]
    assert [(l.text, l.line) for l in leftovers] == [("第3版", 1), ("没有正文的标题", 9)]


def test_dot_bylines_credit_and_continued_text_is_a_leftover():
    drafts, left = assembled(("cont", BODY), ("cont", "·张三·"), ("title+", "任港街道: 落实“河长制”工作"), ("body", BODY), ("byl", "·陈燕·"))
    assert [(d.title, d.authors) for d in drafts] == [("任港街道：落实“河长制”工作", ["陈燕"])]
    assert [l.text for l in left] == [BODY, "·张三·"] and "上接" in left[0].reason


def test_bulleted_items_each_credited_and_dated_by_the_issue():
    drafts, _ = assembled(("title+", "简讯"), ("body", "●9月21日,区公安局举办主题演讲活动。(通讯员 安倩)"),
                          ("body", "●9月23日,区委支部开展主题党日。(通讯员 刘芳)"))
    assert [(d.title, d.authors, d.kind) for d in drafts] == [("简讯", ["安倩", "刘芳"], "brief")]
    assert drafts[0].text_paragraphs() == ["●9月21日，区公安局举办主题演讲活动。", "●9月23日，区委支部开展主题党日。"]


def test_photo_caption_kept_with_photographer_credited():
    drafts, _ = assembled(("title+", "河道整治见成效"), ("body", BODY), ("body", "志愿者清理河道 本报记者 朱江森 摄"),
                          ("body", BODY2), ("byl", "(通讯员 李娟)"))
    assert drafts[0].authors == ["朱江森", "李娟"]
    assert any(k == "caption" and t.startswith("志愿者清理河道") for k, t in drafts[0].paragraphs)


def test_names_in_brackets_credit_and_a_note_is_no_name():
    drafts, _ = assembled(("title+", "河道整治见成效"), ("body", BODY), ("byl", "(丁艳芬 鲁瑛)"),
                          ("title+", "下一篇文章的标题 两个短语"), ("body", BODY2), ("byl", "(待续)"))
    assert [(d.title, d.authors) for d in drafts] == [("河道整治见成效", ["丁艳芬", "鲁瑛"]), ("下一篇文章的标题 两个短语", [])]
    assert drafts[1].text_paragraphs()[-1] == "（待续）"


def test_kicker_subtitle_and_editors_note_from_their_lines():
    drafts, _ = assembled(("note+", "【编者按】本报今起推出专栏，敬请关注。"), ("kick", "聚焦民生实事——"), ("title", "老旧小区"),
                          ("title", "加装电梯投入使用"), ("sub", "——记和安街道"), ("byl", "□ 张 栩 李明"), ("body", BODY))
    d = drafts[0]
    assert (d.kicker, d.title, d.subtitle, d.authors) == ("聚焦民生实事——", "老旧小区加装电梯投入使用", "——记和安街道", ["张栩", "李明"])
    assert d.paragraphs[0] == ("editor", "【编者按】本报今起推出专栏，敬请关注。")


def test_a_line_naming_the_paper_issue_or_date_is_furniture_whatever_the_model_says():
    page = f"社区快讯 2023年5月12日 第18期\n\n社区快讯\n\n两篇短讯之一\n\n{BODY}\n\n{BODY2}"
    lines = page_lines(page)
    assert issue_furniture(lines, dt.date(2023, 5, 12)) == {0, 1}
    labels, _ = label_page(lines, dt.date(2023, 5, 12))
    assert labels[:3] == ["furn", "furn", "title+"]
    drafts, left = segment(page, dt.date(2023, 5, 12))
    assert [d.title for d in drafts] == ["两篇短讯之一"] and [l.line for l in left] == [1, 3]
    # a sentence that mentions the date is text
    assert issue_furniture(page_lines("2023年5月12日，社区召开居民大会。"), dt.date(2023, 5, 12)) == set()


def test_a_sentence_is_never_a_title_on_a_short_page():
    """On a page of two lines the model has little context; a line that ends a sentence
    stays text, so the page is one article, not a headline with nothing under it."""
    lines = page_lines("社区活动\n\n本报讯 幸福街道的居民参加了志愿服务。\n")
    labels, _ = label_page(lines)
    assert [lab.rstrip("+") for lab in labels] == ["title", "body"]
