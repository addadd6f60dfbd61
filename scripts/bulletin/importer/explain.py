"""``bulletin import --explain``: the segmentation's stages, paragraph by paragraph.

Shows every paragraph's line, label and reason, and at every headline group
the boundary decision with its evidence and confidence, so an editor (or a
developer adding a rule) sees why a page was cut where it was.
"""

from __future__ import annotations

from bulletin.importer.segment import segment_page
from bulletin.importer.stages import Boundary

UNSURE = 0.7  # decisions below this confidence are listed in the import report

LABELS = {
    "heading": "标题", "column": "栏目", "byline": "署名", "org": "单位署名", "caption": "图片说明",
    "brief": "简讯", "note": "括注", "lead": "导语", "body": "正文", "junk": "版面杂项",
}


def _clip(text: str, n: int = 36) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def explain(text: str, source: str = "") -> list[str]:
    drafts, leftovers, items, decisions = segment_page(text)
    at = {d.line: d for d in decisions}
    out = []
    for item in items:
        line = item.block.line
        d = at.get(line)
        if d is not None:
            verdict = "分篇：新文章开始" if d.opens else "不分篇：文中小标题"
            out.append(f"{source}:{line}: ── {verdict}（把握 {d.confidence:.2f}）" + "；".join(d.reasons))
        out.append(f"{source}:{line}: [{LABELS.get(item.label, item.label)}] {item.reason} | {_clip(item.block.text)}")
    out.append(f"{source}: 共 {len(drafts)} 篇文章，{len(leftovers)} 段未归属文字")
    return out


def unsure(decisions: list[Boundary]) -> list[Boundary]:
    return [d for d in decisions if d.confidence < UNSURE]
