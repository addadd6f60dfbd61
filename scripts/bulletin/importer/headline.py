"""A headline group's lines -> kicker (引题), title and subtitle (副题).

Newspaper headlines stack up to three lines. The title is the line that
names its subject; a line of two balanced phrases (破解服务难点 畅通投诉渠道)
or a line ending in a dash is the kicker or subtitle around it.
"""

from __future__ import annotations

import re

from bulletin.importer import places

_KICKER_SPLIT = re.compile(r"^(.{4,}?——)\s*(\S.{3,})$")


def is_couplet(line: str) -> bool:
    parts = line.split(" ")
    return len(parts) == 2 and all(len(p) >= 4 for p in parts) and not places.starts_with_place(line)


def split_headline(lines: list[str]) -> tuple[str | None, str, str | None]:
    """Kicker (引题), title and subtitle (副题) from a group of headline lines."""
    flat: list[str] = []
    # 夏阳街道： on its own line is the front of the headline below it.
    merged: list[str] = []
    for line in lines:
        if merged and merged[-1].endswith(("：", ":")) and len(merged[-1]) <= 12:
            merged[-1] += line
        else:
            merged.append(line)
    for line in merged:
        m = _KICKER_SPLIT.match(line)
        flat += [m.group(1), m.group(2)] if m and not line.startswith("—") else [line]
    kickers = [l for l in flat if l.endswith("——")]
    subs = [l for l in flat if l.startswith("—")]
    plain = [l for l in flat if l not in kickers and l not in subs]
    kicker = title = subtitle = None
    if not plain:
        plain = [flat[-1].strip("—")]
        kickers = kickers[:-1] if kickers and kickers[-1] == flat[-1] else kickers  # not its twins
    if len(plain) == 1:
        title = plain[0]
    elif len(plain) == 2:
        first, second = plain
        promote = (places.starts_with_place(second) and not places.starts_with_place(first)) or (
            is_couplet(first) and not is_couplet(second)
        )
        if promote and not kickers:
            kicker, title = first, second
        else:
            title, subtitle = first, second
    elif kickers:
        title, subtitle = plain[0], " ".join(plain[1:])
    elif len(plain) == 3 and is_couplet(plain[1]) and not is_couplet(plain[2]):
        # 打造一流营商环境 / 破解服务难点 畅通投诉渠道 / “高效办成一件事”落地见效
        kicker, subtitle, title = plain
    else:
        kicker, title, subtitle = plain[0], plain[1], " ".join(plain[2:])
    kicker = " ".join(kickers + ([kicker] if kicker else [])) or None
    subtitle = " ".join(([subtitle] if subtitle else []) + subs) or None
    return kicker, title, subtitle
