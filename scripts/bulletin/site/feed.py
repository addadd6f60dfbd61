"""Atom feed of the latest articles (pure: index in, XML text out), and the
订阅 page that tells a resident what it is and how to follow it.

The feed is plain Atom for reader apps: no XSL (Chromium is removing XSLT and
showed an English banner over the styled feed); a browser's reader finds the
Chinese 订阅 page instead, linked from every page's footer.
"""

from __future__ import annotations

import datetime as dt
import html
import itertools
from collections.abc import Callable
from xml.sax import saxutils

from bulletin.clean import xml_chars
from bulletin.site.index import Entry
from bulletin.site.pages import Layout, cn_date, page, rel

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
) -> str:
    """Newest ``count`` entries but continuation pieces (not news); ids are the article
    URLs, which never change. Each summary starts with the date and streets in
    Chinese, as a reader app shows the text and not the machine dates."""
    latest = list(itertools.islice((e for e in entries if e.article.kind != "fragment"), max(count, 0)))  # not all 100,000
    updated = _stamp(latest[0].article.date) if latest else _stamp(dt.date(1970, 1, 1))
    subtitle = f"最新 {len(latest)} 篇文章" + (f"，更新于 {cn_date(latest[0].article.date)}" if latest else "")
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">',
        f"  <title>{escape(title)}</title>",
        f"  <subtitle>{escape(subtitle)}</subtitle>",
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
        where = "、".join(a.streets)
        lead = cn_date(a.date) + (f" · {where}" if where else "")
        out.append(f"    <summary>{escape(lead + ('：' + a.summary if a.summary else ''))}</summary>")
        out.append("  </entry>")
    out.append("</feed>")
    return "\n".join(out) + "\n"


def subscribe_page(layout: Layout, feed_path: str, feed_url: str, site_name: str, count: int) -> str:
    """Markdown of the 订阅 page: what a feed is and how to follow the archive in a
    reader app, with the feed's full address (``feed_url``) to copy: one tap
    selects all of it (``user-select: all``)."""
    here = layout.subscribe()
    return page(
        "订阅",
        f'<p class="bl-lead">不用常来查看：用阅读器应用订阅{html.escape(site_name)}，有新文章时会自动出现在阅读器里。</p>',
        f'<p class="bl-feed-address">订阅源地址：<code>{html.escape(feed_url)}</code></p>',
        "## 订阅源是什么 { #what }",
        f"订阅源（也叫 RSS 或 Atom 源）是一个网址，列出档案最新的 {count} 篇文章：标题、日期、街道和摘要"
        "（续篇不在其中）。阅读器应用定时读取它，发现新文章就提醒你。订阅不用注册，"
        "也不用留下姓名或联系方式。",
        "## 怎样订阅 { #how }",
        "1. 在手机或电脑上装一个支持 RSS 或 Atom 的阅读器应用，例如 Inoreader、Feedly、"
        "NetNewsWire（苹果设备）或 Thunderbird（电脑上的邮件程序，自带阅读器）。\n"
        "2. 在阅读器里选“添加订阅”（或“添加源”“订阅网址”），粘贴上面的订阅源地址。\n"
        "3. 以后档案有新文章，阅读器里就会出现，点开即可阅读全文。",
        f'<p class="bl-lead" markdown>在浏览器里直接打开[这个地址]({rel(here, feed_path)})会看到一段代码（XML）：'
        "它是写给阅读器看的，复制地址贴到阅读器里即可。</p>",
        description=f"订阅{site_name}的更新：订阅源是什么，怎样用阅读器应用订阅。",
    )
