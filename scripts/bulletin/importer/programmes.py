"""Named initiatives and campaigns: “零距离家园”, “四责协同”, 河长制 …

Two sources: the curated taxonomy (names and aliases, found with or without
quote marks, published as ``programmes``), and quoted names the way bulletins
introduce a programme (``candidate_programmes``: an editor's review list, never
shown on the site until added to the taxonomy). A quoted term is a candidate
when it is shaped like a name (3-12 characters, no sentence punctuation, not an
everyday dictionary word or idiom) and the text says it is one: a numeral
formula (两个延伸覆盖, 一宅一策, 门前三包), a programme word at its end (河长制,
…工作法, …食堂) or right after it (“红色物业”机制), a verb that launches a
programme before it (推行“停车共治”, 开设“评弹书场”, 首家“邻里食堂”), or the
name quoted twice. Quoted speech, slogans with commas, single words put in
quotes for emphasis (“院长”, “活”) and catch phrases are not candidates.
"""

from __future__ import annotations

import re

from bulletin.importer import lexicon
from bulletin.importer.normalize import CJK
from bulletin.taxonomy import Taxonomy

# Curly, straight or corner quotes: OCR keeps whichever the paper printed.
_QUOTED = re.compile(r"[“\"‘「『]([^“”\"‘’「」『』\n]{2,16})[”\"’」』]")
_NUMERAL = re.compile(r"^[一二三四五六七八九十两双百千万\d]")
# “五星”支部, “五好”家庭: a numeral-led label naming a kind of unit.
_UNITS = ("党支部", "支部", "党组织", "社区", "家庭", "小区", "楼院", "庭院", "村居", "村")
_NUMBER_LED = re.compile(r"^[一二三四五六七八九十两双百千万\d]+[个项大小有清美张级长联化心必式带到步责]")
_ENDS = (
    "制", "机制", "工作法", "工程", "行动", "活动", "计划", "项目", "模式", "品牌", "平台",
    "理事会", "议事厅", "议事会", "恳谈会", "讲堂", "课堂", "驿站", "家园", "之家", "服务队",
    "教育", "治理", "整治", "创建", "志愿服务", "攻坚战", "专项行动", "示范", "改革", "清洁",
    # Kinds of facility or body a programme sets up: …食堂, …超市, …工坊.
    "食堂", "超市", "书屋", "书场", "客厅", "工坊", "学堂", "夜校", "银行", "联盟", "清单", "沙龙",
    "服务站", "互助会", "顾问团", "议事亭", "会客厅",
)
_FOLLOWERS = (
    "机制", "工作法", "工作", "活动", "行动", "平台", "模式", "理事会", "建设", "主题", "工程",
    "制度", "志愿", "专题", "品牌", "项目", "计划", "服务", "改革", "试点", "示范", "创建",
    "教育", "竞赛", "评选", "议事", "协商", "理念", "要求", "系列", "专场", "惠民", "做法",
    "责任书", "运行", "签约", "名单", "结对",
)
# Verbs that launch or run a programme, right before its quoted name, with an
# optional count between (设立12处“爱心驿站”, 组织一次“院长沙龙”, 首家“邻里食堂”).
_LAUNCH = re.compile(
    r"(?:推行|推出|推广|推进|设立|开设|开办|建立|成立|组建|打造|实行|实施|启动|开展|探索|创新|举办|"
    r"制定|签订|引入|发起|搭建|建成|创建|培育|首创|深化|用好|组织|以|街道|社区|[镇乡村]|首[家个期批届座]|第[一二三四五六七八九十\d]+[家个期批届座])"
    r"(?:了|起|出)?(?:[\d一二三四五六七八九十两]+[个处家支所项场期批座次]|一次)?$"
)
# A numeral formula: 一宅一策, 三张清单 (led by a count) or 门前三包, 四清两美 (a count
# in its last word); not 第一把火, 最后一公里.
_FORMULA = re.compile(r"^(?:[一二三四五六七八九十两百千万]|[^第最].*[一二三四五六七八九十两百千万].$)")
_NUMBERS_ONLY = re.compile(r"^[一二三四五六七八九十两百千万\d]+$")  # “十三五”: a plan period
_NOT_A_NAME = re.compile(r"[，。！？：；了]|^[的在是和与]")
# A recurring named event, quoted or not: 第五届社区邻里节 -> 社区邻里节.
_EVENT = re.compile(rf"第[一二三四五六七八九十百\d]+届([{CJK}]{{1,8}}?(?:节|运动会|大赛|联赛|展))")


def _shaped(term: str, after: str) -> bool:
    if _NOT_A_NAME.search(term) or not re.search(f"[{CJK}]", term):
        return False
    bare = term.replace(" ", "")
    if len(bare) < 3:
        return False
    if _NUMBER_LED.match(bare) or bare.endswith(_ENDS) or after.startswith(_FOLLOWERS):
        return True
    # A two-phrase slogan used as a campaign's name: “百舸争流 争先创优在行动”.
    return " " in term and all(len(p) >= 4 for p in term.split(" ")) and after.startswith(_FOLLOWERS)


def _name_like(term: str) -> bool:
    return 3 <= len(term) <= 10 and not _NOT_A_NAME.search(term) and " " not in term and bool(re.fullmatch(f"[{CJK}\\d+]+", term))


def _introduced(term: str, before: str) -> bool:
    """A name-like term the text launches (推行“…”) or that is a numeral formula."""
    if not _name_like(term) or len(term) > 8 or lexicon.is_common(term) or lexicon.tag(term) in ("i", "l") \
            or _NUMBERS_ONLY.match(term):
        return False  # “院长”, “管理者”, “有求必应”: a word in quotes, not a name
    return bool(_LAUNCH.search(before)) or (4 <= len(term) <= 6 and bool(_FORMULA.match(term)))


def quoted_candidates(text: str) -> list[str]:
    """Quoted terms shaped like a programme's name; a name-like term quoted
    twice or more in one article is one too (“高效办成一件事”), and so is a
    recurring event's name after 第N届."""
    out = []
    counts: dict[str, int] = {}
    for m in _QUOTED.finditer(text):
        term = m.group(1).strip()
        after = text[m.end():m.end() + 4]
        before = text[max(0, m.start() - 8):m.start()]
        counts[term] = counts.get(term, 0) + 1
        if _shaped(term, after) or _introduced(term, before):
            out.append(term)
        elif _NUMERAL.match(term) and len(term) >= 2 and after.startswith(_UNITS):
            out.append(term + next(u for u in _UNITS if after.startswith(u)))
    out += [t for t, n in counts.items() if n >= 2 and _name_like(t) and not lexicon.is_common(t)]
    out += [m.group(1) for m in _EVENT.finditer(text)]
    return list(dict.fromkeys(out))


def find(text: str, taxonomy: Taxonomy) -> tuple[list[str], list[str]]:
    """(programmes, new candidates): taxonomy hits first, then shaped quoted terms.

    A candidate that contains a known programme's name is that programme
    (“红色物业机制” -> 红色物业), not a new tag.
    """
    known = taxonomy.find_programmes(text)
    new = []
    for term in quoted_candidates(text):
        canon = taxonomy.canonical_programme(term)
        if taxonomy.is_known_programme(term):
            if canon not in known:
                known.append(canon)
        elif not any(k.replace(" ", "") in term.replace(" ", "") for k in known):
            new.append(term)
    return known, new
