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

_QUOTED = re.compile(r"“([^“”]{2,16})”")
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


def quoted_candidates(text: str) -> list[str]:
    out = []
    for m in _QUOTED.finditer(text):
        term = m.group(1).strip()
        if _shaped(term, text[m.end():m.end() + 4]):
            out.append(term)
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
