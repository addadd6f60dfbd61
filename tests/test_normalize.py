from bulletin.importer.normalize import blocks, clean, punctuate, squeeze_body, squeeze_heading
from bulletin.importer.segment import paragraphs


def test_half_width_punctuation_in_chinese_becomes_full_width():
    assert punctuate("7月17日,小东门街道召开会议;会议:通过?") == "7月17日，小东门街道召开会议；会议：通过？"
    assert punctuate("(记者 安琪 刘耀谷)") == "（记者 安琪 刘耀谷）"


def test_punctuation_between_digits_and_latin_is_left_alone():
    assert punctuate("共计1,390万元") == "共计1,390万元"
    assert punctuate("see (a, b)") == "see (a, b)"


def test_ocr_spaces_inside_chinese_body_text_are_dropped():
    assert squeeze_body("发挥群众力 量，共建 家园") == "发挥群众力量，共建家园"
    assert squeeze_body("使用 APP 和 Wi Fi 服务") == "使用 APP 和 Wi Fi 服务"


def test_headline_keeps_phrase_space_but_not_word_split():
    assert squeeze_heading("峡窝镇 助推环境卫生") == "峡窝镇 助推环境卫生"
    assert squeeze_heading("凝聚群众力 量") == "凝聚群众力量"
    assert squeeze_heading("海永镇纪委： 推动崇海两地联动") == "海永镇纪委：推动崇海两地联动"


def test_line_ends_and_control_characters():
    assert clean("甲\r\n乙\r丙\x00丁\u200b") == "甲\n乙\n丙丁"
    assert clean("２０２１年ＡＢ") == "2021年AB"


def test_blocks_keep_line_numbers_and_join_wrapped_lines():
    got = blocks("\n\n标题\n\n第一行\n第二行\n\n\n尾")
    assert [(b.text, b.line) for b in got] == [("标题", 3), ("第一行第二行", 5), ("尾", 9)]


def test_paragraph_broken_across_columns_is_rejoined():
    long = "居民区召开理事会，针对居民所关心的多项问题分别进行阐述和分析，在汇总和整理各种意见之后，各理事会成员分别认领自己部门的任务，合"
    got = paragraphs(f"{long}\n\n\n\n理安排后续施工时间，获得一致好评。\n\n下一段。")
    assert [p.text for p in got] == [long + "理安排后续施工时间，获得一致好评。", "下一段。"]


def test_comma_at_break_joins_but_headline_and_subheading_do_not():
    got = paragraphs("要求一是提高认识，\n\n二是加强监督。\n\n金坛居民区:\n\n居民反馈问题。")
    assert [p.text for p in got] == ["要求一是提高认识，二是加强监督。", "金坛居民区：", "居民反馈问题。"]


def test_numbered_items_stay_separate_paragraphs():
    got = paragraphs("第七条 主要包括:" + "很长的条文内容" * 8 + "\n\n(一)坚决维护权威;\n\n(二)发挥作用;")
    assert len(got) == 3


def test_a_page_written_one_sentence_a_line_keeps_its_paragraphs():
    from bulletin.importer.normalize import blocks

    page = ("本报讯 5月10日，幸福里社区举办邻里节。\n两千多名居民参加了活动。\n"
            "“以前邻居见面都不打招呼。”居民李阿姨说。\n社区将每年举办一次。\n")
    assert [b.text for b in blocks(page + "\n下一篇\n")][:4] == [
        "本报讯 5月10日，幸福里社区举办邻里节。", "两千多名居民参加了活动。",
        "“以前邻居见面都不打招呼。”居民李阿姨说。", "社区将每年举办一次。"]
    assert [b.line for b in blocks(page + "\n下一篇\n")] == [1, 2, 3, 4, 6]


def test_an_indent_opens_a_paragraph_and_wrapped_lines_still_join():
    from bulletin.importer.normalize import blocks

    page = ("    本报讯 5月30日上午，观音山街道组织五十余名志愿者走进辖区\n十个小区，开展垃圾分类入户宣传活动。\n"
            "    “以前总分不清，现在一看图就明白了。”居民说。\n                    （通讯员 王小明）\n\n标题\n")
    assert [b.text for b in blocks(page)] == [
        "本报讯 5月30日上午，观音山街道组织五十余名志愿者走进辖区十个小区，开展垃圾分类入户宣传活动。",
        "“以前总分不清，现在一看图就明白了。”居民说。", "（通讯员 王小明）", "标题"]


def test_a_sentence_ending_at_the_column_width_is_a_wrap():
    from bulletin.importer.normalize import blocks

    # Hard-wrapped at 17: the second line ends a sentence at the width.
    page = "街道组织志愿者走进辖区十个小区开展\n垃圾分类宣传活动，现场气氛非常热烈。\n居民们踊跃参加，纷纷表示支持这项工\n作。\n"
    assert len(blocks(page + "\n下一篇\n")) == 2
    # Every line indented: the indent marks nothing.
    assert len(blocks("  第一行没有结束\n  第二行接着写完。\n")) == 1
