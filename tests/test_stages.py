"""Each import stage on invented pages in layouts of their own (no sample's wording).

lines -> features -> the model's labels -> segment (assembly) -> headline.split_headline;
every example here is made up.
"""

from bulletin.importer import extract, places, programmes
from bulletin.importer.explain import UNSURE, explain, unsure
from bulletin.importer.headline import split_headline
from bulletin.importer.layout import classify, label, paragraphs
from bulletin.importer.lines import page_lines
from bulletin.importer.segment import segment, segment_lines, segment_page

P1 = "街道组织志愿者走访辖区困难家庭，送去米面油等生活物资，并详细了解他们的生活需求和困难。"
P2 = "下一步，街道将建立长效帮扶机制，定期上门走访，切实把好事办好、实事办实，让困难群众感受到温暖。"
P3 = "活动结束后，志愿者们还为老人打扫了房间，整理了杂物，现场气氛温馨，老人们纷纷表示感谢。"


def assembled(*pairs):
    """(label, text) pairs, one printed line each -> drafts (the assembly without the model)."""
    text = "\n\n".join(t for _, t in pairs)
    return segment_lines(page_lines(text), [lab for lab, _ in pairs], text)[0]


def labels(text):
    return [(x.label, x.block.text) for x in label(paragraphs(text))]


def test_labels_carry_reasons_and_datelines_are_leads():
    items = label(paragraphs(f"本报讯 近日，{P1}\n\n10月5日，{P2}\n\n{P3}\n\n【图说】\n\n社区动态\n\n本报北京5月6日电（记者 王一）{P1}"))
    assert [x.label for x in items] == ["lead", "lead", "body", "column", "column", "lead"]
    assert all(x.reason for x in items)


def test_byline_forms():
    for line in ("□ 张 栩 李明", "文/图 王小丫", "（记者 刘一）", "·周五 吴六·", "通讯员 陈七 记者 郑八"):
        assert classify(line)[0] == "byline", line
    assert extract.byline_names("□ 张 栩 李明") == ["张栩", "李明"]
    assert extract.byline_names("（记者朱一 通讯员徐文豪）") == ["朱一", "徐文豪"]  # 文 inside a name is no role


def test_tail_signatures_end_a_paragraph():
    assert extract.split_tail_signature(f"{P1} 通讯员 孙九")[:2] == (["孙九"], "通讯员 孙九")
    assert extract.split_tail_signature(f"{P1}李十 摄")[0] == ["李十"]
    assert extract.split_tail_signature(f"{P1} 东城区委宣传部")[0] == ["东城区委宣传部"]
    assert extract.split_tail_signature(f"{P1}文化站")[0] == []  # a word, not 文 + a name
    assert extract.split_tail_signature("他说街道办事处")[0] == []  # no sentence end before it


def test_run_of_parallel_subheads_stays_one_article():
    page = (f"清河镇探索网格治理新路径\n\n{P1}\n\n摸清底数\n\n建好“一本账”\n\n{P2}\n\n"
            f"压实责任\n\n织密“一张网”\n\n{P3}\n\n聚焦难点\n\n啃下“硬骨头”\n\n{P1}\n\n清河镇党委宣传部\n\n"
            f"红枫社区开展义诊\n\n日前，{P3}")
    drafts, _, _, decisions = segment_page(page)
    assert [d.title for d in drafts] == ["清河镇探索网格治理新路径", "红枫社区开展义诊"]
    assert drafts[0].authors == ["清河镇党委宣传部"]
    assert [t for k, t in drafts[0].paragraphs if k == "sub"] == ["摸清底数", "建好“一本账”", "压实责任", "织密“一张网”", "聚焦难点", "啃下“硬骨头”"]
    assert [d.line for d in decisions if d.opens] == [1, 25]


def test_dateline_after_single_headline_opens_an_article():
    page = f"枫林路街道开展消防演练\n\n{P1}\n\n{P2}\n\n垃圾分类进校园\n\n11月2日，{P3}"
    drafts = segment(page)[0]
    assert [d.title for d in drafts] == ["枫林路街道开展消防演练", "垃圾分类进校园"]
    assert drafts[1].paragraphs[0][1].startswith("11月2日")


def test_photo_item_is_its_own_article_with_its_photographer():
    drafts = assembled(("title+", "湖滨街道举办邻里节"), ("body", P1), ("title+", "雨后彩虹"), ("body", f"{P3}赵小青 摄"))
    assert drafts[1].title == "雨后彩虹" and drafts[1].authors == ["赵小青"]


def test_column_label_is_not_the_title():
    drafts = segment(f"【一线传真】\n\n西湾村修好了灌溉渠\n\n{P1}")[0]
    assert (drafts[0].column, drafts[0].title) == ("一线传真", "西湾村修好了灌溉渠")


def test_numbered_subheads_and_continuation_marks():
    drafts = assembled(("title+", "南门街道推行楼组自治"), ("byl", "（记者 钱二）"), ("body", P1), ("head", "（一）选好带头人"),
                       ("body", f"{P2}（下转第三版）"), ("body+", f"（上接第二版）{P3}"))
    assert len(drafts) == 2 and drafts[1].kind == "fragment" and drafts[0].authors == ["钱二"]
    assert ("sub", "（一）选好带头人") in drafts[0].paragraphs


def test_editors_note_goes_with_the_article_below():
    drafts = assembled(("body+", P1), ("note+", "【编者按】本期介绍两个社区的做法。"), ("title", "东湖社区的议事角"), ("body", P2))
    assert drafts[1].title == "东湖社区的议事角" and drafts[1].paragraphs[0] == ("editor", "【编者按】本期介绍两个社区的做法。")


def test_three_line_headline_with_balanced_middle_line():
    assert split_headline(["建设美丽家园", "拆除违建 清理堆物", "长丰镇人居环境大变样"]) == (
        "建设美丽家园", "长丰镇人居环境大变样", "拆除违建 清理堆物")


def test_decisions_have_confidence_and_unsure_ones_are_listed():
    page = f"社区报 第5期\n\n西街社区召开议事会\n\n日前，{P1}\n\n{P2}\n\n东街社区开展义诊\n\n日前，{P3}"
    _, _, _, decisions = segment_page(page)
    assert [d.line for d in decisions if d.opens] == [3, 9]
    assert all(0 <= d.confidence <= 1 for d in decisions)
    assert unsure(decisions) == [d for d in decisions if d.confidence < UNSURE]
    lines = explain(page, "x.txt")
    assert lines[0].startswith("x.txt:1:") and any("分篇" in l for l in lines) and lines[-1].endswith("1 段未归属文字")


def test_names_not_words_ending_in_district_or_village():
    assert places.districts("落实包干区责任，划定责任区；大事小区议、小事区块议。东城区和西城区") == ["东城区", "西城区"]
    assert places.streets("闸北新区和平街道") == ["和平街道"] and places.districts("闸北新区和平街道") == ["闸北新区"]
    assert places.streets("·南桥东街道：以点带面。城南区桥东街道党工委") == ["桥东街道"]
    assert "聚焦社区" not in places.places("聚焦社区孤寡老人，和平村的村民")


def test_programme_candidates_from_repeated_quotes_and_unit_labels():
    text = "推行“邻里守望一件事”改革。“邻里守望一件事”让居民少跑腿。以“三星”支部创建为抓手。"
    found = programmes.quoted_candidates(text)
    assert "邻里守望一件事" in found and "三星支部" in found
    assert programmes.quoted_candidates("他说：“好。”她说：“好。”") == []


def test_page_without_blank_lines_is_read_line_by_line():
    page = f"东港街道开展消防演练\n（记者 吴一）\n{P1}\n{P2}\n西港镇修好了村道\n日前，{P3}\n"
    drafts = segment(page)[0]
    assert [d.title for d in drafts] == ["东港街道开展消防演练", "西港镇修好了村道"]
    assert drafts[0].authors == ["吴一"] and len(drafts[0].text_paragraphs()) == 2


def test_printed_lines_of_one_column_are_rejoined():
    text = P1 + P2 + P3
    lines = [text[i:i + 16] for i in range(0, len(text), 16)]
    page = "北塘社区的暖心食堂\n" + "\n".join(lines)
    labels = ["title+"] + ["body"] * len(lines)
    drafts, _ = segment_lines(page_lines(page), labels, page)
    assert [d.title for d in drafts] == ["北塘社区的暖心食堂"]
    assert "".join(drafts[0].text_paragraphs()) == text
