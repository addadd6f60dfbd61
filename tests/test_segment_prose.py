"""Checks right after the model (importer/prose.py): text that continues an open
sentence opens no article, and headline lines read as a subhead or a credit right
above a headline are its kicker. Labels are given by hand, so these test the checks
apart from the model."""

from bulletin.importer.lines import page_lines
from bulletin.importer.prose import checked
from test_segment import BODY, BODY2

OPEN = "临江新区在镇村两级微信公众号及时发布倡议书，并通过网格员微信群扩大受众面，与此同时，"
TITLE = "“高效办成一件事”落地见效"


def check(*pairs):
    return checked(page_lines("\n\n".join(t for _, t in pairs)), [lab for lab, _ in pairs])


def test_a_short_sentence_after_an_open_one_continues_it():
    # the OCR's blank line cut a paragraph after a comma: the model read the rest as a title
    assert check(("title+", "秸秆禁烧攻坚战"), ("body", OPEN), ("title+", "做到禁烧、禁抛。"), ("body", BODY)) == [
        "title+", "body", "body", "body"]
    # after a sentence that ended, the same line may still open an untitled article
    assert check(("title+", "秸秆禁烧攻坚战"), ("body", BODY), ("title+", "做到禁烧、禁抛。"), ("body", BODY2)) == [
        "title+", "body", "body+", "body"]


def test_headline_lines_right_above_a_headline_are_its_kicker():
    assert check(("title+", "秸秆禁烧攻坚战"), ("body", BODY), ("head", "打造一流营商环境"), ("byl", "破解服务难点 畅通投诉渠道"),
                 ("title+", TITLE), ("body", BODY2)) == ["title+", "body", "kick+", "kick", "title", "body"]
    # a credit that names someone ends the article above; a subhead followed by text stays a subhead
    assert check(("title+", "秸秆禁烧攻坚战"), ("head", "打造一流营商环境"), ("body", BODY), ("byl", "（通讯员 李娟）"),
                 ("title+", TITLE), ("body", BODY2)) == ["title+", "head", "body", "byl", "title+", "body"]
    # lines of an honour list (names with their streets) are no kicker
    honour = "郑玉兰（长虹街道） 高德顺（长虹街道） 龚淑芬（向阳路街道）"
    assert check(("title+", "最美楼门长名单"), ("body", BODY), ("head", honour), ("title+", TITLE), ("body", BODY2)) == [
        "title+", "body", "head", "title+", "body"]
