"""Layouts real bulletin pages show, one small page each."""

from bulletin.importer.segment import classify, segment, split_headline

BODY = "街道召开专题会议，部署下一阶段重点工作，居民代表和社区干部共四十余人参加了会议并进行了讨论。"
BODY2 = "会议要求各社区结合实际，细化任务清单，确保各项工作落到实处，切实提升居民群众的获得感。"


def cut(text):
    drafts, leftovers = segment(text)
    return [(d.kicker, d.title, d.subtitle, d.authors, d.kind) for d in drafts], leftovers


def test_byline_before_body_and_next_headline_with_subtitle():
    page = f"以实干推进基层治理\n\n□通讯员 丁艳芬\n\n{BODY}\n\n{BODY2}\n\n不断提升居民的幸福感\n\n街道积极推进理事会有效运作\n\n□通讯员 鲁瑛\n\n{BODY}"
    got, left = cut(page)
    assert got == [
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


def test_street_prefixed_headline_after_unsigned_document_starts_new_article():
    page = f"落实主体责任规定\n\n(2020年2月26日审议批准)\n\n(六)持之以恒抓好作风建设;\n\n(七)加强纪律建设。\n\n区人社局 多措并举推动创贷工作\n\n{BODY}\n\n(通讯员 李娟)"
    drafts, _ = segment(page)
    assert [d.title for d in drafts] == ["落实主体责任规定", "区人社局 多措并举推动创贷工作"]
    assert drafts[0].subtitle == "（2020年2月26日审议批准）"


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


def test_dot_bylines_and_continuation_fragments():
    page = f"{BODY}\n\n·张三·\n\n任港街道: 落实“河长制”工作\n\n{BODY}\n\n·陈燕·\n\n22日,{BODY2}\n\n为群众服务 金新街道成立工作站\n\n{BODY}\n\n·郭成龙 李四·"
    got, _ = cut(page)
    assert got == [
        (None, "", None, ["张三"], "fragment"),
        (None, "任港街道：落实“河长制”工作", None, ["陈燕"], "article"),
        (None, "", None, [], "fragment"),
        (None, "为群众服务 金新街道成立工作站", None, ["郭成龙", "李四"], "article"),
    ]


def test_brief_news_column_is_one_article_with_every_author():
    page = "简讯\n\n●9月21日,区公安局举办主题演讲活动。(通讯员 安倩)\n\n●9月23日,区委支部开展主题党日。(通讯员 刘芳)"
    got, _ = cut(page)
    assert got == [(None, "简讯", None, ["安倩", "刘芳"], "brief")]


def test_byline_inside_first_paragraph():
    drafts, _ = segment(f"青浦区召开推进会\n\n本报讯(记者朱江森 通讯员张梦原){BODY}")
    assert drafts[0].authors == ["朱江森", "张梦原"]
    assert drafts[0].paragraphs[0] == ("text", BODY)
    assert drafts[0].bylines == ["本报讯（记者朱江森 通讯员张梦原）"]


def test_organisation_byline_on_its_own_line():
    drafts, _ = segment(f"党建引领基层治理\n\n{BODY}\n\n青浦区委组织部\n\n第二篇文章标题\n\n{BODY2}")
    assert drafts[0].authors == ["青浦区委组织部"]
    assert [d.title for d in drafts] == ["党建引领基层治理", "第二篇文章标题"]


def test_photo_caption_kept_with_photographer_credited():
    drafts, _ = segment(f"河道整治见成效\n\n{BODY}\n\n志愿者清理河道 本报记者 朱江森 摄\n\n{BODY2}\n\n(通讯员 李娟)")
    assert drafts[0].authors == ["朱江森", "李娟"]
    assert any(k == "caption" and t.startswith("志愿者清理河道") for k, t in drafts[0].paragraphs)


def test_stray_text_is_reported_not_lost():
    drafts, leftovers = segment(f"第3版\n\n标题一\n\n{BODY}\n\n(通讯员 李娟)\n\n没有正文的标题")
    assert [d.title for d in drafts] == ["标题一"]
    assert [(l.text, l.line) for l in leftovers] == [("第3版", 1), ("没有正文的标题", 9)]


def test_classify_shapes():
    assert classify("□通讯员 丁艳芬")[0] == "byline"
    assert classify("●9月21日，区公安局举办活动。")[0] == "brief"
    assert classify(BODY)[0] == "body"
    assert classify("延伸网格触角 做群众知心人")[0] == "heading"
    assert classify("1")[0] == "junk"


def test_street_prefix_on_its_own_line_joins_the_headline():
    drafts, _ = segment(f"夏阳街道：\n\n“睦邻议事厅”让居民自治有了新平台\n\n本报讯(记者朱江森 通讯员张梦原){BODY}")
    assert drafts[0].title == "夏阳街道：“睦邻议事厅”让居民自治有了新平台"
    assert drafts[0].authors == ["朱江森", "张梦原"]


def test_photo_credit_after_body_does_not_close_the_article():
    drafts, _ = segment(f"河道整治见成效\n\n{BODY}\n\n(记者 朱江森 摄)\n\n{BODY2}\n\n(通讯员 李娟)")
    assert len(drafts) == 1 and drafts[0].authors == ["朱江森", "李娟"]


def test_names_in_brackets_at_the_end_are_the_byline():
    drafts, _ = segment(f"河道整治见成效\n\n{BODY}\n\n(丁艳芬 鲁瑛)\n\n下一篇文章的标题 两个短语\n\n{BODY2}\n\n(待续)")
    assert drafts[0].authors == ["丁艳芬", "鲁瑛"]
    assert [d.title for d in drafts] == ["河道整治见成效", "下一篇文章的标题 两个短语"]
    assert drafts[1].authors == []


def test_masthead_lines_are_leftovers():
    drafts, leftovers = segment(f"2021年5月28日 星期五 第3版\n\n责任编辑：张三\n\n河道整治见成效\n\n{BODY}")
    assert [d.title for d in drafts] == ["河道整治见成效"]
    assert len(leftovers) == 2


def test_unsigned_articles_split_at_a_two_phrase_headline():
    drafts, _ = segment(f"第一篇 标题甲乙丙\n\n{BODY}\n\n{BODY2}\n\n开展督导检查 筑牢安全防线\n\n{BODY}")
    assert [d.title for d in drafts] == ["第一篇 标题甲乙丙", "开展督导检查 筑牢安全防线"]
