"""Atom feed of the latest articles (pure: index in, XML text out)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from xml.sax import saxutils

from bulletin.clean import xml_chars
from bulletin.site.index import Entry

TZ = dt.timezone(dt.timedelta(hours=8))  # bulletins are dated in China Standard Time


def escape(text: str) -> str:
    """Element text: escaped, and without characters XML cannot hold (a NUL in a
    title must not make the whole feed ill-formed)."""
    return saxutils.escape(xml_chars(str(text)))


def quoteattr(text: str) -> str:
    return saxutils.quoteattr(xml_chars(str(text)))


def _stamp(day: dt.date) -> str:
    return dt.datetime(day.year, day.month, day.day, tzinfo=TZ).isoformat()


def atom_feed(
    entries: list[Entry],
    *,
    title: str,
    site_url: str,
    feed_url: str,
    url_of: Callable[[Entry], str],
    count: int = 20,
    stylesheet: str = "",
) -> str:
    """Newest ``count`` entries but continuation pieces (not news); ids are the article
    URLs, which never change. ``stylesheet``: the XSL a browser shows the feed with."""
    latest = [e for e in entries if e.article.kind != "fragment"][: max(count, 0)]
    updated = _stamp(latest[0].article.date) if latest else _stamp(dt.date(1970, 1, 1))
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        *([f"<?xml-stylesheet type=\"text/xsl\" href={quoteattr(stylesheet)}?>"] if stylesheet else []),
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">',
        f"  <title>{escape(title)}</title>",
        f"  <id>{escape(site_url)}</id>",
        f"  <updated>{updated}</updated>",
        f"  <link rel=\"alternate\" type=\"text/html\" href={quoteattr(site_url)}/>",
        f"  <link rel=\"self\" type=\"application/atom+xml\" href={quoteattr(feed_url)}/>",
        "  <generator>bulletin</generator>",
    ]
    for e in latest:
        a, url = e.article, url_of(e)
        out += [
            "  <entry>",
            f"    <title>{escape(e.title)}</title>",
            f"    <id>{escape(url)}</id>",
            f"    <link rel=\"alternate\" type=\"text/html\" href={quoteattr(url)}/>",
            f"    <published>{_stamp(a.date)}</published>",
            f"    <updated>{_stamp(a.date)}</updated>",
        ]
        out += [f"    <author><name>{escape(n)}</name></author>" for n in a.authors] or [
            f"    <author><name>{escape(title)}</name></author>"
        ]
        out += [f"    <category term={quoteattr(t)}/>" for t in [*a.streets, *a.programmes]]
        if a.summary:
            out.append(f"    <summary>{escape(a.summary)}</summary>")
        out.append("  </entry>")
    out.append("</feed>")
    return "\n".join(out) + "\n"
