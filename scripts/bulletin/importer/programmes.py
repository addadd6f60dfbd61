"""Named initiatives and campaigns: “零距离家园”, “四责协同”, 河长制 …

Two sources: the curated taxonomy (names and aliases, found with or without
quote marks), and quoted terms shaped like a programme name: a number-led
formula (两个延伸覆盖, 四清两美), a name ending in a programme word (河长制,
…工作法, …行动), or a quoted name followed by one (“红色物业”机制, “零距离家园”
理事会). Quoted speech, slogans with commas and ordinary words are not tags.
"""

from __future__ import annotations

import re

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
)
_FOLLOWERS = (
    "机制", "工作法", "工作", "活动", "行动", "平台", "模式", "理事会", "建设", "主题", "工程",
    "制度", "志愿", "专题", "品牌", "项目", "计划", "服务", "改革", "试点", "示范", "创建",
    "教育", "竞赛", "评选", "议事", "协商", "理念", "要求",
)
_NOT_A_NAME = re.compile(r"[，。！？：；]|^[的了在是和与]")


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


def quoted_candidates(text: str) -> list[str]:
    """Quoted terms shaped like a programme's name; a name-like term quoted
    twice or more in one article is one too (“高效办成一件事”)."""
    out = []
    counts: dict[str, int] = {}
    for m in _QUOTED.finditer(text):
        term = m.group(1).strip()
        after = text[m.end():m.end() + 4]
        counts[term] = counts.get(term, 0) + 1
        if _shaped(term, after):
            out.append(term)
        elif _NUMERAL.match(term) and len(term) >= 2 and after.startswith(_UNITS):
            out.append(term + next(u for u in _UNITS if after.startswith(u)))
    out += [t for t, n in counts.items() if n >= 2 and _name_like(t)]
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
