"""The plugin's settings (``plugins: - bulletin:`` in mkdocs.yml), grouped by
prefix like Material's blog plugin; URL patterns are format strings."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c

from bulletin.site import pages


class BulletinConfig(base.Config):
    articles_dir = c.Type(str, default="articles")
    taxonomy = c.Optional(c.Type(str))  # named: must exist; unset: taxonomy.yml beside mkdocs.yml, if any
    home_latest_count = c.Type(int, default=10)
    home_programme_count = c.Type(int, default=12)
    related_count = c.Type(int, default=5)
    streets_url = c.Type(str, default="streets/")
    street_url_format = c.Type(str, default="streets/{slug}/")
    programmes_url = c.Type(str, default="programmes/")
    programme_url_format = c.Type(str, default="programmes/{slug}/")
    archive_url = c.Type(str, default="archive/")
    archive_month_url_format = c.Type(str, default="archive/{year}/{month:02d}/")
    issue_url_format = c.Type(str, default="issues/{slug}/")
    search_url = c.Type(str, default="search/")
    search_placeholder = c.Type(bool, default=True)  # off once the real search page is generated elsewhere
    feed_enabled = c.Type(bool, default=True)
    feed_path = c.Type(str, default="feed.xml")
    feed_count = c.Type(int, default=20)
    subscribe_url = c.Type(str, default="subscribe/")  # the 订阅 page: what the feed is, how to follow it
    listing_page_size = c.Type(int, default=pages.PAGE_SIZE)  # articles per street/programme/month page
