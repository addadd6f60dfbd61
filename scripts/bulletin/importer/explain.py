"""``bulletin import --explain``: the model's reading of a page, line by line.

Shows every printed line's role as the model labelled it and its probability
of opening an article; where the model opens one (or nearly does) the
decision and its confidence, so an editor sees where a page was cut and how
sure the cut is.
"""

from __future__ import annotations

from bulletin.importer.segment import segment_page
from bulletin.importer.stages import Boundary

UNSURE = 0.96  # decisions below this confidence are listed in the import report (请核对分篇); chosen on seeds 1-2: BENCHMARKS.md

LABELS = {
    "furn": "版面杂项", "cont": "他版续文", "col": "栏目", "kick": "引题", "title": "标题", "sub": "副题",
    "note": "编者按", "byl": "署名", "body": "正文", "head": "小标题",
}


def _clip(text: str, n: int = 36) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def explain(text: str, source: str = "", issue=None, layout=None) -> list[str]:
    drafts, leftovers, items, decisions = segment_page(text, issue, layout)
    at = {d.line: d for d in decisions}
    out = []
    for item in items:
        line = item.block.line
        d = at.get(line)
        if d is not None:
            verdict = "分篇：新文章开始" if d.opens else "不分篇：文中小标题"
            out.append(f"{source}:{line}: ── {verdict}（把握 {d.confidence:.2f}）" + "；".join(d.reasons))
        role = item.label.rstrip("+")
        out.append(f"{source}:{line}: [{LABELS.get(role, role)}] 开篇概率 {item.reason} | {_clip(item.block.text)}")
    out.append(f"{source}: 共 {len(drafts)} 篇文章，{len(leftovers)} 段未归属文字")
    return out


def unsure(decisions: list[Boundary]) -> list[Boundary]:
    return [d for d in decisions if d.confidence < UNSURE]
