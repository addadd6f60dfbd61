"""The page memo (importer/pagememo.py): each line test answered once a page, never across pages."""

import datetime as dt

from bulletin.importer import extract, pagememo
from bulletin.importer.pipeline import import_text
from bulletin.taxonomy import Taxonomy


def test_answers_once_within_a_page_and_copies_lists():
    calls = []

    @pagememo.per_page
    def names(text):
        calls.append(text)
        return [text], "rest"

    with pagememo.page():
        first = names("记者 王敏")
        first[0].append("changed by a caller")
        with pagememo.page():  # a nested page shares the open one
            assert names("记者 王敏") == (["记者 王敏"], "rest")
    assert calls == ["记者 王敏"]
    names("记者 王敏")
    with pagememo.page():
        names("记者 王敏")
    assert len(calls) == 3  # outside a page, and in the next page, asked again


class _Counted(dict):
    hits = 0

    def __getitem__(self, key):
        value = super().__getitem__(key)
        _Counted.hits += 1
        return value


def test_an_import_shares_its_line_tests_and_keeps_nothing(monkeypatch):
    """Features and paragraph joins ask the same byline test of the same line: asked once."""
    memos = []
    monkeypatch.setattr(pagememo, "_new_memo", lambda: memos.append(_Counted()) or memos[-1])
    text = ("社区开展志愿服务活动\n\n本报讯（记者 王敏）近日，街道组织志愿者走访辖区困难家庭，送去米面油等生活物资。\n\n"
            "活动结束后，志愿者们还为老人打扫了房间，整理了杂物。\n")
    import_text(text, "p.txt", dt.date(2021, 5, 28), Taxonomy())
    import_text(text, "q.txt", dt.date(2021, 5, 28), Taxonomy())
    assert len(memos) == 2 and _Counted.hits > 0
    assert any(key[0] is extract.is_byline.__wrapped__ for key in memos[0])
    assert pagememo._MEMO.get() is None
