import datetime as dt

import pytest
from bulletin.importer import extract, places, programmes
from bulletin.importer.normalize import punctuate
from bulletin.taxonomy import Entry, Taxonomy


@pytest.mark.parametrize(
    "line, names",
    [
        ("□通讯员 丁艳芬", ["丁艳芬"]),
        ("(记者 安晨莹 刘耀谷)", ["安晨莹", "刘耀谷"]),
        ("·夏凡 张顺燕 印春湘·", ["夏凡", "张顺燕", "印春湘"]),
        ("·陈燕·", ["陈燕"]),
        ("□记者 王五 通讯员 赵六", ["王五", "赵六"]),
        ("通讯员 张三 李四", ["张三", "李四"]),
    ],
)
def test_byline_styles(line, names):
    line = punctuate(line)
    assert extract.is_byline(line)
    assert extract.byline_names(line) == names


@pytest.mark.parametrize("line", ["金坛居民区：", "明确问题清单", "（2020年2月26日中共中央政治局常委会会议审议批准）", "区人社局 多措并举推动创贷工作"])
def test_not_bylines(line):
    assert not extract.is_byline(line)


def test_byline_inside_first_paragraph():
    names, rest = extract.split_lead_byline(punctuate("本报讯(记者朱江森 通讯员张梦原)近日，青浦区召开会议。"))
    assert names == ["朱江森", "张梦原"] and rest == "近日，青浦区召开会议。"


def test_dateline_byline_keeps_its_day():
    names, rest = extract.split_lead_byline(punctuate("本报9月6日讯(记者 樊志成）湖南路街道首家食堂开业。"))
    assert names == ["樊志成"] and rest == "湖南路街道首家食堂开业。"
    assert extract.dateline(["本报9月6日讯（记者 樊志成）"]) == "本报9月6日讯"
    assert extract.dateline(["本报讯（记者 樊志成）"]) == ""


@pytest.mark.parametrize(
    "lead, want",
    [
        ("昨日上午，街道召开会议。", dt.date(2021, 7, 27)),
        ("前天，街道召开会议。", dt.date(2021, 7, 26)),
        ("昨日，街道回顾了7月1日的活动。", dt.date(2021, 7, 27)),  # the first day named
        ("7月20日，街道开会，昨天又开了一次。", dt.date(2021, 7, 20)),
    ],
)
def test_yesterday_is_the_day_before_the_issue(lead, want):
    assert extract.lead_date(lead, dt.date(2021, 7, 28)) == want


def test_byline_at_end_of_paragraph():
    names, rest = extract.split_tail_byline("全区共发放贷款87笔。（通讯员 李娟）")
    assert names == ["李娟"] and rest == "全区共发放贷款87笔。"


def test_organisation_and_photo_credits():
    assert extract.is_org_byline("青浦区委组织部")
    assert not extract.is_org_byline("金坛居民区：")
    assert extract.photo_credit("图为志愿者清理河道。 本报记者 朱江森 摄") == ["朱江森"]


@pytest.mark.parametrize(
    "lead, want",
    [
        ("7月17日，小东门街道召开会议。", dt.date(2021, 7, 17)),
        ("22日，武术文化汇演举行。", dt.date(2021, 7, 22)),
        ("“我和党旗合个影。”一段视频。18日，崇川区举办活动。", dt.date(2021, 7, 18)),
        ("12月30日，街道召开年终总结会。", dt.date(2020, 12, 30)),
        ("1921年7月1日，中国共产党成立。", None),
        ("近日，海门区召开会议。", None),
    ],
)
def test_lead_date_resolved_against_issue(lead, want):
    assert extract.lead_date(lead, dt.date(2021, 7, 28)) == want


def test_day_after_issue_day_means_previous_month():
    assert extract.lead_date("29日，街道召开会议。", dt.date(2021, 5, 3)) == dt.date(2021, 4, 29)


@pytest.mark.parametrize(
    "text, streets",
    [
        ("团区委组织峡窝镇和工业路街道团委志愿者", ["峡窝镇", "工业路街道"]),
        ("郑州市上街中心路街道围绕关键问题", ["中心路街道"]),
        ("近日，海门区海永镇纪委立足实际", ["海永镇"]),
        ("在狼山镇街道狼山社区江海美食文化街", ["狼山镇街道"]),
        ("近日，海门临江新区把成果转化", ["临江新区"]),
        ("推进城镇化和乡村振兴，各街道、全区各乡镇", []),
        ("区、镇（街道办）两级纪委", []),
    ],
)
def test_street_names_found_by_how_names_are_written(text, streets):
    assert places.streets(text) == streets


def test_districts_and_finer_places():
    text = "走进崇川区秦灶街道八里庙村社区，不断提升社区居民的获得感"
    assert places.districts(text) == ["崇川区"]
    assert places.places(text) == ["八里庙村社区"]


def test_headline_subject_is_a_place_or_office():
    assert places.starts_with_place("崇川区举办主题党日示范活动")
    assert places.starts_with_place("区人社局 多措并举")
    assert not places.starts_with_place("街道积极推进“零距离家园理事会”有效运作")
    assert not places.starts_with_place("百舸争流 争先创优在行动")


def test_programmes_from_quotes_and_taxonomy():
    taxonomy = Taxonomy(programmes={"红色物业": Entry("红色物业"), "河长制": Entry("河长制", ["河湖长制"])})
    text = "建立“精准改造机制”“红色物业机制”，落实“两个延伸覆盖”，推行河湖长制，群众说“这些都是我们自己点的单。”还有“探头”作用。"
    known, new = programmes.find(text, taxonomy)
    assert known == ["红色物业", "河长制"]
    assert new == ["精准改造机制", "两个延伸覆盖"]


@pytest.mark.parametrize(
    "text, candidates",
    [
        ("街道推行“停车共治”，从三个方面破题。", ["停车共治"]),  # a launching verb
        ("在辖区设立12处“爱心驿站”，供环卫工人歇脚。", ["爱心驿站"]),  # verb, count, name
        ("湖南路街道首家“邻里食堂”开业。", ["邻里食堂"]),  # the first of a kind
        ("制定“一宅一策”保护方案，签订“门前三包”责任书。", ["一宅一策", "门前三包"]),
        ("双塔街道“古宅新生”留住老味道", ["古宅新生"]),  # a place's own programme
        ("热心居民担任“院长”，负责院落。“院长”老魏说。", []),  # a word in quotes
        ("街道坚持“有求必应”，让“活”起来。", []),  # an idiom, one character
        ("让商户从“被管理者”变成“管理者”。", []),  # emphasis, no launch
        ("“现在回家能停上车，心里不慌了。”居民说。", []),  # speech
        ("街道推行“十三五”规划。", []),  # a plan period, not a name
        ("湛山街道第五届社区邻里节开幕。", ["社区邻里节"]),  # a recurring event, quoted or not
        ("第六届武术文化汇演举行。", []),
        ("为“院长”们提供了一本手册。", []),  # quotes lost: 们提供了一本 is no name
    ],
)
def test_programme_candidates_are_names_the_text_introduces(text, candidates):
    assert programmes.find(text, Taxonomy())[1] == candidates


def test_summary_cuts_at_sentence_end():
    text = "第一句话说明了会议的主要内容和参加人员。" * 6
    got = extract.summary([text])
    assert got.endswith("。") and len(got) <= 90


def test_headline_ending_like_an_office_is_not_an_organisation_byline():
    assert extract.is_org_byline("夏阳街道办事处")
    assert not extract.is_org_byline("街道成立党群服务中心")


def test_names_never_span_paragraphs():
    assert places.streets("牢固树立改造理念\n街道始终坚持民事民议原则") == []


@pytest.mark.parametrize(
    "text, streets",
    [
        ("据了解，下一步街道将把经验推广", []),
        ("和平街道与新华街道联合开展活动", ["和平街道", "新华街道"]),
        ("由奉城镇牵头，青村镇配合", ["奉城镇", "青村镇"]),
        ("黄浦区外滩街道、淮海中路街道", ["外滩街道", "淮海中路街道"]),
        ("新型城镇化和特色小镇建设", []),
    ],
)
def test_street_names_that_look_like_words_and_words_that_look_like_names(text, streets):
    assert places.streets(text) == streets


@pytest.mark.parametrize(
    "text, streets",
    [
        ("近日，广安门外街道开展活动", ["广安门外街道"]),  # not 门外街道: 广安门 is one name
        ("解放碑街道志愿者出发了", ["解放碑街道"]),  # a name that opens with a verb
        ("近日，鼓浪屿街道组织志愿者", ["鼓浪屿街道"]),
        ("（作者系新开铺街道居民）", ["新开铺街道"]),  # 系 is "is"
        ("思口镇组织镇村干部巡河", ["思口镇"]),  # 镇村干部, not a town 组织镇
        ("鄞江镇古镇老街", ["鄞江镇"]),
        ("小事不出网格、大事不出街道", []),
        ("记者深入街道采访", []),
    ],
)
def test_streets_are_matched_whole(text, streets):
    assert places.streets(text) == streets


def test_taxonomy_streets_come_first_and_whole():
    taxonomy = Taxonomy(streets={"庄行镇": Entry("庄行镇", district="奉贤区")})
    text = "奉贤庄行镇与马桥镇联合开展活动"
    assert places.streets(text, taxonomy.street_spans(text)) == ["马桥镇"]


def test_district_comes_from_the_taxonomy_only():
    from bulletin.importer.pipeline import import_text

    page = "幸福里社区开展邻里节\n\n本报讯 近日，幸福里社区在广场举办第三届邻里节，吸引了两千多名居民参加。\n"
    [article] = import_text(page, "a.txt", dt.date(2023, 5, 12), Taxonomy()).articles
    assert article.district is None  # not 里社区
    known = Taxonomy(streets={"秦灶街道": Entry("秦灶街道", district="崇川区")})
    page = "崇川区举办邻里节\n\n本报讯 近日，崇川区在广场举办第三届邻里节，吸引了两千多名居民参加。\n"
    assert import_text(page, "a.txt", dt.date(2023, 5, 12), known).articles[0].district == "崇川区"
    assert import_text(page, "a.txt", dt.date(2023, 5, 12), Taxonomy()).articles[0].district is None


def test_dates_in_chinese_numerals():
    assert extract.lead_date("九月二十一日，街道召开会议。", dt.date(2021, 9, 28)) == dt.date(2021, 9, 21)
    assert extract.lead_date("十二月三日，街道召开会议。", dt.date(2021, 12, 28)) == dt.date(2021, 12, 3)
    assert extract.lead_date("二十二日，街道召开会议。", dt.date(2021, 9, 28)) == dt.date(2021, 9, 22)
    assert extract.lead_date("街道一年来开展了十余次活动。", dt.date(2021, 9, 28)) is None


@pytest.mark.parametrize(
    "line, names",
    [
        ("文/图 张三", ["张三"]),
        ("图/文 李四", ["李四"]),
        ("□记者 阿依古丽·买买提", ["阿依古丽·买买提"]),
        ("文/应佳琪 图/史晨阳", ["应佳琪", "史晨阳"]),
        ("文／潘竹君", ["潘竹君"]),
        ("本报记者 谭雪松 实习生 文静怡 冉光明", ["谭雪松", "文静怡", "冉光明"]),  # 文 begins a name
        ("□ 记者 王　敏 通讯员 图雅", ["王敏", "图雅"]),
    ],
)
def test_more_byline_roles_and_names(line, names):
    assert extract.is_byline(line)
    assert extract.byline_names(line) == names


@pytest.mark.parametrize(
    "line, names",
    [
        ("记者 应 佳琪 通 讯员 史晨阳", ["应佳琪", "史晨阳"]),  # a line end's space inside a name and a role
        ("记者 谭雪 松 通讯员 文静怡 冉 光明", ["谭雪松", "文静怡", "冉光明"]),
        ("□ 张 栩 李明", ["张栩", "李明"]),
    ],
)
def test_names_cut_by_a_line_end_are_read_whole(line, names):
    assert extract.byline_names(line) == names


def test_names_alone_in_brackets_after_the_last_sentence_are_a_credit():
    names, credit, rest = extract.split_tail_signature("清理楼道停放车辆60余辆。（向宇航）")
    assert (names, credit, rest) == (["向宇航"], "（向宇航）", "清理楼道停放车辆60余辆。")
    assert extract.split_tail_signature("居民们都很满意。（段丽萍 杨明轩 字春燕）")[0] == ["段丽萍", "杨明轩", "字春燕"]
    for tail in ("（待续）", "（下转第四版）", "（资料图）", "（北京）"):
        assert extract.split_tail_signature("居民们都很满意。" + tail)[0] == [], tail


def test_agency_byline_on_its_own_line_is_a_byline():
    assert extract.is_byline("本报讯（记者 陆芷若 通讯员 顾一鸣）")
    assert extract.is_byline("本报3月9日讯（记者 钟睿）")
    assert not extract.is_byline("本报讯（记者 陆芷若）近日，街道召开会议。")


def test_plain_lead_byline_with_several_names_to_a_role():
    names, rest = extract.split_lead_byline("本报讯 记者段丽萍 通讯员杨明轩 字春燕 护国街道文明街举办活动。")
    assert names == ["段丽萍", "杨明轩", "字春燕"] and rest == "护国街道文明街举办活动。"
    names, rest = extract.split_lead_byline("本报讯 记者边晓峰 通讯员霍雨桐 常立新 上周二，街道召开会议。")
    assert names == ["边晓峰", "霍雨桐", "常立新"] and rest == "上周二，街道召开会议。"


def test_credit_after_a_straight_closing_quote_and_a_name_beginning_with_wen():
    assert extract.split_tail_signature('来逛的年轻人也多了。"　通讯员 卞思远')[0] == ["卞思远"]
    assert extract.byline_names("文/谭雪松 图/文静怡 冉光明") == ["谭雪松", "文静怡", "冉光明"]


def test_bracketed_lead_byline_cut_by_a_line_end():
    assert extract.is_byline("本报讯（记者 边晓峰 通讯员 霍雨桐")
    assert extract.byline_names("本报讯（记者 边晓峰 通讯") == ["边晓峰"]  # 通讯 is half a role, not a name
    assert extract.split_lead_byline("常立新）8月7日上午，街道召开会议。") == (["常立新"], "8月7日上午，街道召开会议。")
    assert extract.split_lead_byline("员 霍雨桐 常立新）8月7日上午，街道召开会议。")[0] == ["霍雨桐", "常立新"]
    assert extract.split_lead_byline("8月7日上午，街道召开会议（扩大）。")[0] == []


def test_a_bulleted_brief_takes_its_leads_date_a_column_of_them_the_issues():
    from bulletin.importer.pipeline import build_article
    from bulletin.importer.stages import Draft

    one = Draft(1, kind="brief", paragraphs=[("text", "■本报讯（通讯员 栾晓宇）1日上午，湛山街道邻里节开幕。")])
    assert build_article(one, 1, "a.txt", dt.date(2024, 7, 8), Taxonomy())[0].date == dt.date(2024, 7, 1)
    column = Draft(1, kind="brief", title="简讯", paragraphs=[
        ("text", "●9月21日，区公安局举办演讲活动。"), ("text", "●9月23日，支部开展主题党日。")])
    assert build_article(column, 1, "a.txt", dt.date(2020, 9, 25), Taxonomy())[0].date == dt.date(2020, 9, 25)
