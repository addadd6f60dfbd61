"""Find street-level units, districts and finer places named in Chinese text.

Rules are about how names are written, not about particular names: a name is
2-4 characters before an administrative suffix, beginning at a plausible word
boundary (see :mod:`bulletin.lexicon`).
"""

from __future__ import annotations

import re

from bulletin.importer import lexicon
from bulletin.importer.normalize import CJK
from bulletin.importer.pagememo import per_page

STREET_SUFFIX = re.compile("街道|新区|镇|乡")
DISTRICT_SUFFIX = re.compile("区")
PLACE_SUFFIX = re.compile("居民区|社区|村")
ADMIN_END = set("省市区县州镇乡道村旗盟")
STOP = set("在和与及到对为是的了由从向将把被让给等至赴于、同跟或并兼即如像据自往系")
NAME_REJECT = set("各全该本我其每两多某此这那与及或的了在等个是由属为对把被将不")
BAD_AFTER = {
    "镇化", "镇压", "镇定", "镇静", "镇守", "镇住", "乡村", "乡镇", "乡亲", "乡土", "乡风", "乡贤",
    "乡愁", "乡情", "乡音", "乡间", "乡里", "乡邻", "乡下", "村民", "村委", "村级", "村组",
    "村庄", "村落", "村容", "村貌", "村务", "村干", "村里", "村两", "村规", "镇村", "镇街", "镇域",
}
CLAUSE_TAGS = {"v", "vn", "vd", "d", "ad", "p", "c", "r", "u", "f", "m", "q", "t", "l", "i", "z"}
NOT_NAMES = {
    "部分", "有关", "相关", "其他", "其它", "所有", "全部", "周边", "附近", "辖区", "沿线", "属地",
    "所在", "当地", "本地", "外地", "城区", "下辖", "各个", "一步", "大型", "新型", "特色", "重点",
}
FUNCTION_TAGS = {"b", "d", "ad", "c", "p", "r", "f", "u"}
NAME_ENDS = set("路街门桥里山湖江河港湾坊园庄塘口营寺")
GENERIC = {"城镇", "乡镇", "村镇", "集镇", "小镇", "重镇", "古镇", "城乡", "小区", "社区", "街道"}
# Words for areas that are not districts (东城区 is one: 城区 is not listed).
AREA_WORDS = {"社区", "小区", "景区", "片区", "辖区", "街区", "山区", "盲区", "园区", "校区", "营区", "厂区", "林区", "湖区", "灾区", "矿区", "牧区", "库区", "网区"}
_CJK_ONLY = re.compile(f"[{CJK}]+")
_OFFICE_HEAD = re.compile(rf"^(团?[区市县]委|[区市县][{CJK}]{{1,5}}?[局委办院会部])")


def _inside_name(text: str, start: int) -> bool:
    """A proper noun of 3-4 characters the dictionary knows runs across
    ``start`` (广安门|外街道, 鼓浪|屿): the name begins before it."""
    return any(
        lexicon.tag(text[i:j]) in lexicon.NAME_TAGS
        for i in range(max(0, start - 3), start) for j in range(start + 1, start + 4) if 3 <= j - i <= 4
    )


def _good_start(text: str, start: int) -> bool:
    """Is ``start`` a plausible beginning of a name inside ``text``?"""
    if start == 0 or not _CJK_ONLY.fullmatch(text[start - 1]):
        return True
    if _inside_name(text, start):
        return False
    prev = text[start - 1]
    if prev in ADMIN_END or prev in STOP:
        return not lexicon.is_common(text[start - 1:start + 1], 200)
    if lexicon.is_common(text[start - 1:start + 1], 50):
        return False  # a word straddles the boundary
    return any(lexicon.is_common(text[max(0, start - k):start]) for k in (2, 3, 4) if start >= k)


def _name_ok(name: str, suffix: str, after_admin: bool = False) -> bool:
    if not _CJK_ONLY.fullmatch(name) or NAME_REJECT & set(name) or name[0] in "省市区县":
        return False
    if STREET_SUFFIX.fullmatch(suffix) and (set("区县") & set(name) or set("镇乡") & set(name[:-1])):
        return False  # a higher unit (闸北新区和平街道) or a town (鄞江镇古镇) is written before a street's name, never in it
    if len(name) > 2 and lexicon.tag(name[-2:]) == "v" and lexicon.freq(name[-2:]) >= 1000:
        return False  # 记者深入街道: a name does not end in a verb
    if name[0] in STOP and len(name) > 2 and not lexicon.is_common(name[:2]):
        return False  # (作者)系新开铺街道: 系 is "is"; 和平街道 keeps its 和
    if len(name) == 2 and re.match("^[东西南北中][路街]$", name):
        return False  # 中路街道 is the tail of 淮海中路街道
    if re.match("^(?:进一|下一|上一|同一|统一|第)", name) or name in NOT_NAMES or (len(name) > 2 and lexicon.is_common_non_place(name, 50)):
        return False  # 下一步街道, 部分街道
    if len(name) == 2 and not after_admin and lexicon.tag(name) in CLAUSE_TAGS and lexicon.freq(name) >= 100:
        return False  # 推进乡, 组织镇; but 和平街道, 光明村 and 黄浦区外滩街道 are names
    head = lexicon.tag(name[:2])
    if len(name) > 2 and not _dictionary_name(name) and (
            head in FUNCTION_TAGS or (head == "v" and lexicon.freq(name[:2]) >= 1000 and name[-1] not in NAME_ENDS)):
        return False  # 不断提升社区, 共同解决社区: a clause, not a name; but 解放碑街道
    joint = name[-1] + suffix[0]
    if joint in GENERIC or lexicon.is_common(joint, 50):
        # 城镇, 乡村, 小镇 inside: a name only if what precedes is not a word
        # of its own (奉城镇, 青村镇 yes; 新型城镇, 特色小镇, 和乡村 no).
        rest = name[:-1]
        return rest[-1] not in STOP and not any(
            lexicon.is_common_non_place(rest[i:], 50) for i in range(len(rest) - 1)
        )
    return True


def _dictionary_name(name: str) -> bool:
    """The name opens with a proper noun of three or more characters the
    dictionary knows (解放碑, 广安门, 鼓浪屿): a name, whatever its first word."""
    return any(lexicon.tag(name[:k]) in lexicon.NAME_TAGS for k in range(len(name), 2, -1))


def _find(text: str, suffixes: re.Pattern, lengths: range, min_start: int = 0) -> list[tuple[int, int]]:
    """Spans of names before a suffix, the shortest plausible name first
    (组织峡窝镇: 峡窝镇); a name the dictionary knows is not cut (see
    :func:`_good_start`)."""
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


def _levels(text: str, known: list[tuple[int, int]] = ()) -> tuple[list[str], list[str]]:
    """Street-shaped names split into streets and the higher units written
    right before one (浦东新区上钢新村街道: 浦东新区 is the district).

    ``known``: where the taxonomy's streets are; they are names already, so
    nothing is looked for inside them (奉贤庄行镇 is 庄行镇)."""
    inside = {i for s, e in known for i in range(s, e)}
    spans = sorted(sp for sp in _street_spans(text) if not inside & set(range(*sp)))
    starts = {s for s, _ in spans} | {s for s, _ in known}
    higher = [(s, e) for s, e in spans if e in starts]
    names = _longest(text, [sp for sp in spans if sp not in higher])
    # ·浦香花桥街道 and 青浦区香花桥街道 on one page: a stray character, one street.
    names = [n for n in names if not (len(n) > 3 and n[1:] in names)]
    return names, list(dict.fromkeys(text[s:e] for s, e in higher))


@per_page
def _street_spans(text: str) -> list[tuple[int, int]]:
    """Street-shaped names in ``text`` (an article's streets and districts both ask)."""
    return _find(text, STREET_SUFFIX, range(2, 5))


def streets(text: str, known: list[tuple[int, int]] = ()) -> list[str]:
    """Street names in ``text`` other than the taxonomy's (at ``known``)."""
    return _levels(text, known)[0]


def _district_ok(name: str) -> bool:
    """A name, not a word ending in 区 (责任区, 包干区, 示范区, 小事区) nor a
    character before one (进小区, 找社区, 按片区)."""
    stem = name[:-1]
    return not (lexicon.is_common_non_place(name, 20) or lexicon.is_common_non_place(stem, 20) or name.endswith("新区")
                or name[-2:] in AREA_WORDS)


@per_page
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
    if _OFFICE_HEAD.match(head):
        return True
    for s, _ in _find(head, STREET_SUFFIX, range(2, 5)) + _find(head, DISTRICT_SUFFIX, range(2, 3)):
        if s == 0:
            return True
    return False
