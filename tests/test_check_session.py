"""The preview's check kept across saves (editing/checksession.py) reports, after
every save, what ``check_pages`` of all the pages reports: duplicates that a save
makes or unmakes in pages it did not touch, deleted and added pages, own problems."""

from __future__ import annotations

import datetime as dt

from bulletin.editing.check import check_pages
from bulletin.editing.checksession import Session
from test_check import TAXONOMY, page  # noqa: F401 (the shared page maker)
from bulletin.taxonomy import load_taxonomy


def test_saved_pages_report_what_a_full_check_reports(tmp_path):
    (tmp_path / "taxonomy.yml").write_text(TAXONOMY, encoding="utf-8")
    tax = load_taxonomy(tmp_path / "taxonomy.yml")
    pages = {f"content/articles/2021/p{i}.md": page(f"第{i}篇：居民踊跃参加社区活动，共同维护整洁的环境和秩序。", position=i + 1,
                                                    title=f"任港街道第{i}篇")
             for i in range(6)}
    session = Session()
    assert session.full(dict(pages), tax) == check_pages(pages, tax)
    twin = pages["content/articles/2021/p1.md"]
    saves = [
        {"content/articles/2021/p3.md": twin},  # p3 now duplicates p1 (body, source and position): both report it
        {"content/articles/2021/p9.md": page("新增的一篇。" * 5, position=40)},  # added
        {"content/articles/2021/p1.md": None},  # deleted: p3 is alone again
        {"content/articles/2021/p4.md": page(streets=["不在分类表里的街"], position=50)},  # a warning
        {"content/articles/2021/p5.md": "---\ntitle: [\n---\n坏的。\n"},  # an error
        {"content/articles/2021/p1.md": twin, "content/articles/2021/p5.md": twin},  # three of a kind
        {"content/articles/2021/p3.md": page("改好了的正文，与别的不同。" * 3, position=60, date=dt.date(2021, 5, 20))},
    ]
    for step, save in enumerate(saves):
        for name, text in save.items():
            if text is None:
                pages.pop(name)
            else:
                pages[name] = text
        assert session.saved(dict(pages), set(save), tax) == check_pages(pages, tax), step
