"""Find street-level units, districts and finer places named in Chinese text.

Rules are about how names are written, not about particular names: a name is
2-4 characters before an administrative suffix, beginning at a plausible word
boundary (see :mod:`bulletin.lexicon`).
"""

from __future__ import annotations

import re

from bulletin.importer import lexicon
from bulletin.importer.normalize import CJK

STREET_SUFFIX = re.compile("街道|新区|镇|乡")
DISTRICT_SUFFIX = re.compile("区")
PLACE_SUFFIX = re.compile("居民区|社区|村")
ADMIN_END = set("省市区县州镇乡道村旗盟")
STOP = set("在和与及到对为是的了由从向将把被让给等至赴于、同跟或并兼即如像据自往")
NAME_REJECT = set("各全该本我其每两多某此这那与及或的了在等个是由属为对把被将")
BAD_AFTER = {
    "镇化", "镇压", "镇定", "镇静", "镇守", "镇住", "乡村", "乡镇", "乡亲", "乡土", "乡风", "乡贤",
    "乡愁", "乡情", "乡音", "乡间", "乡里", "乡邻", "乡下", "村民", "村委", "村级", "村组",
    "村庄", "村落", "村容", "村貌", "村务", "村干", "村里", "村两", "村规",
}
CLAUSE_TAGS = {"v", "vn", "vd", "d", "ad", "p", "c", "r", "u", "f", "m", "q", "t", "l", "i", "z"}
NOT_NAMES = {
    "部分", "有关", "相关", "其他", "其它", "所有", "全部", "周边", "附近", "辖区", "沿线", "属地",
    "所在", "当地", "本地", "外地", "城区", "下辖", "各个", "一步", "大型", "新型", "特色", "重点",
}
FUNCTION_TAGS = {"b", "d", "ad", "c", "p", "r", "f", "u"}
NAME_ENDS = set("路街门桥里山湖江河港湾坊园庄塘口营寺")
GENERIC = {"城镇", "乡镇", "村镇", "集镇", "小镇", "重镇", "古镇", "城乡", "小区", "社区", "街道"}
_CJK_ONLY = re.compile(f"[{CJK}]+")


def _good_start(text: str, start: int) -> bool:
    """Is ``start`` a plausible beginning of a name inside ``text``?"""
    if start == 0 or not _CJK_ONLY.fullmatch(text[start - 1]):
        return True
    prev = text[start - 1]
    if prev in ADMIN_END or prev in STOP:
        return not lexicon.is_common(text[start - 1:start + 1], 200)
    if lexicon.is_common(text[start - 1:start + 1], 50):
        return False  # a word straddles the boundary
    return any(lexicon.is_common(text[max(0, start - k):start]) for k in (2, 3, 4) if start >= k)


def _name_ok(name: str, suffix: str, after_admin: bool = False) -> bool:
    if not _CJK_ONLY.fullmatch(name) or NAME_REJECT & set(name) or name[0] in "省市区县":
        return False
    if len(name) == 2 and re.match("^[东西南北中][路街]$", name):
        return False  # 中路街道 is the tail of 淮海中路街道
    if re.match("^(?:进一|下一|上一|同一|统一|第)", name) or name in NOT_NAMES or (len(name) > 2 and lexicon.is_common_non_place(name, 20)):
        return False  # 下一步街道, 部分街道
    if len(name) == 2 and not after_admin and lexicon.tag(name) in CLAUSE_TAGS and lexicon.freq(name) >= 100:
        return False  # 推进乡, 组织镇; but 和平街道, 光明村 and 黄浦区外滩街道 are names
    head = lexicon.tag(name[:2])
    if len(name) > 2 and (head in FUNCTION_TAGS or (head == "v" and lexicon.freq(name[:2]) >= 1000 and name[-1] not in NAME_ENDS)):
        return False  # 不断提升社区, 共同解决社区: a clause, not a name
    joint = name[-1] + suffix[0]
    if joint in GENERIC or lexicon.is_common(joint, 50):
        # 城镇, 乡村, 小镇 inside: a name only if what precedes is not a word
        # of its own (奉城镇, 青村镇 yes; 新型城镇, 特色小镇, 和乡村 no).
        rest = name[:-1]
        return rest[-1] not in STOP and not any(
            lexicon.is_common_non_place(rest[i:], 50) for i in range(len(rest) - 1)
        )
    return True


def _find(text: str, suffixes: re.Pattern, lengths: range, min_start: int = 0) -> list[tuple[int, int]]:
    spans = []
    for m in suffixes.finditer(text):
        s, e = m.start(), m.end()
        if text[s:s + 2] in BAD_AFTER or (len(m.group(0)) == 1 and text[s:s + 2] in BAD_AFTER):
            continue
        for length in lengths:
            start = s - length
            if start < min_start:
                break
            after_admin = start > 0 and text[start - 1] in ADMIN_END
            if _name_ok(text[start:s], m.group(0), after_admin) and _good_start(text, start):
                spans.append((start, e))
                break
    return spans


def _longest(text: str, spans: list[tuple[int, int]]) -> list[str]:
    """Merge overlapping spans (狼山镇 + 狼山镇街道, 八里庙村 + 庙村社区); keep text order."""
    merged: list[list[int]] = []
    for s, e in sorted(spans):
        if merged and s < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return list(dict.fromkeys(text[s:e] for s, e in merged))


def _levels(text: str) -> tuple[list[str], list[str]]:
    """Street-shaped names split into streets and the higher units written
    right before one (浦东新区上钢新村街道: 浦东新区 is the district)."""
    spans = sorted(_find(text, STREET_SUFFIX, range(2, 5)))
    starts = {s for s, _ in spans}
    higher = [(s, e) for s, e in spans if e in starts]
    names = _longest(text, [sp for sp in spans if sp not in higher])
    # ·浦香花桥街道 and 青浦区香花桥街道 on one page: a stray character, one street.
    names = [n for n in names if not (len(n) > 3 and n[1:] in names)]
    return names, list(dict.fromkeys(text[s:e] for s, e in higher))


def streets(text: str) -> list[str]:
    return _levels(text)[0]


def _district_ok(name: str) -> bool:
    """A name, not a word ending in 区 (责任区, 包干区, 示范区, 小事区)."""
    stem = name[:-1]
    return not (lexicon.is_common_non_place(name, 20) or lexicon.is_common_non_place(stem, 20) or name.endswith("新区"))


def districts(text: str) -> list[str]:
    found = _levels(text)[1]
    for s, e in _find(text, DISTRICT_SUFFIX, range(2, 3)):
        if _district_ok(text[s:e]):
            found.append(text[s:e])
    return list(dict.fromkeys(found))


def _place_ok(name: str) -> bool:
    """Not a clause ending in a verb (聚焦社区, 促进社区, 通报村)."""
    stem = re.sub("(?:居民区|社区|村)$", "", name)
    tail = stem[-2:]
    if len(stem) < 2:
        return False
    if lexicon.tag(tail) in ("v", "vn") and lexicon.freq(tail) >= 300:
        return False
    # 传认通报村: a longer stem ending in an everyday noun is a clause, 和平村 a name.
    return not (len(stem) >= 3 and lexicon.is_common_non_place(tail, 300))


def places(text: str) -> list[str]:
    return [p for p in _longest(text, _find(text, PLACE_SUFFIX, range(2, 5))) if _place_ok(p)]


def starts_with_place(text: str) -> bool:
    """A headline whose subject is a named place or office (``崇川区举办…``, ``峡窝镇 助推…``)."""
    head = text[:12]
    if re.match(rf"^(团?[区市县]委|[区市县][{CJK}]{{1,5}}?[局委办院会部])", head):
        return True
    for s, _ in _find(head, STREET_SUFFIX, range(2, 5)) + _find(head, DISTRICT_SUFFIX, range(2, 3)):
        if s == 0:
            return True
    return False
