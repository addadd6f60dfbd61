"""The home page: what the archive holds, a street chooser, then the latest news.

On a 390 px phone the first screen is the header, the h1, one sentence and the
street chooser; the latest articles and the full lists of streets, programmes
and years follow below it.
"""

from __future__ import annotations

import datetime as dt
import html

from bulletin.site.index import NO_DISTRICT, ArchiveIndex
from bulletin.site.pages import Layout, chips, cn_date, listing, page, rel

CHOOSER_MARK = "<!-- bl-street-chooser -->"


def summary_sentence(index: ArchiveIndex, generated: dt.date | None = None) -> str:
    """One sentence: cities, districts, streets, years, issues and articles, build date."""
    news = index.news
    if not news:
        return "档案中还没有文章。"
    cities = list(dict.fromkeys(d.city for d in index.districts if d.city))
    districts = [d for d in index.districts if d.name != NO_DISTRICT]
    years = sorted(index.years)
    span = f"{years[0]}–{years[-1]} 年" if len(years) > 1 else f"{years[0]} 年"
    where = "、".join(cities) + " " if cities else ""
    scope = f"{len(districts)} 个区（县）" if districts else ""
    rest = len(index.entries) - len(news)
    text = (f"收录{where}{scope}{len(index.streets)} 个街道（镇）{span}的社区简报：{len(index.issues)} 期，"
            f"{len(news)} 篇文章" + (f"（另有续篇 {rest} 篇）" if rest else "") + "。")
    return text + (f"生成于 {cn_date(generated)}。" if generated else "")


def render_chooser(index: ArchiveIndex, link, layout: Layout) -> str:
    """A street picker grouped by city and district (native picker on a phone);
    ``link(src_uri)`` gives hrefs. It opens on 请选择街道, not on a street.

    The form's own action is the street list, so without JavaScript (or without
    a choice) "前往" leads to every street; assets/bulletin.js goes to the chosen one."""
    esc = html.escape
    groups = ['<option value="" selected>请选择街道</option>']
    for d in index.districts:
        options = "".join(f'<option value="{esc(link(layout.street(t)))}">{esc(t.name)}（{t.count}）</option>'
                          for t in d.streets)
        groups.append(f'<optgroup label="{esc(d.label)}">{options}</optgroup>')
    streets = esc(link(layout.streets()))
    return (
        f'<form class="bl-chooser" action="{streets}" method="get" data-street-chooser>'
        '<label class="bl-chooser__label" for="bl-street">按街道查找</label>'
        '<span class="bl-chooser__row"><select id="bl-street" name="street">'
        f'{"".join(groups)}</select><button type="submit">前往</button></span></form>'
        f'<p class="bl-chooser__all"><a href="{streets}">全部 {len(index.streets)} 个街道（按城市和区）→</a></p>'
    )


def home_page(
    index: ArchiveIndex,
    layout: Layout,
    site_name: str,
    latest_count: int = 10,
    home_programme_count: int = 12,
    generated: dt.date | None = None,
) -> str:
    """Sentence and street chooser first, then latest news, streets by district, busiest programmes, years."""
    here = layout.home()
    news = index.news
    latest = listing(news[:latest_count]) if news else "<p>暂无文章。</p>"
    streets = [
        f'<p class="bl-group">{html.escape(d.label)}</p>\n\n'
        + chips([(t.name, layout.street(t), t.count) for t in d.streets])
        for d in index.districts
    ]
    busiest = sorted(index.programmes.values(), key=lambda t: -t.count)[:home_programme_count]
    programmes = chips([(t.name, layout.programme(t), t.count) for t in busiest])
    if len(index.programmes) > len(busiest):
        programmes += f'\n\n<p class="bl-more" markdown>[全部 {len(index.programmes)} 个项目 →]({rel(here, layout.programmes())})</p>'
    year_chips = chips([
        (f"{y}年", f"{layout.archive()}#y{y}", sum(len(m.entries) for m in ms))
        for y, ms in index.years.items()
    ])
    return page(
        site_name,
        f'<p class="bl-lead bl-about">{html.escape(summary_sentence(index, generated))}</p>',
        CHOOSER_MARK if index.streets else "",
        "## 最新文章 { #latest }",
        latest,
        f'<p class="bl-more" markdown>[全部文章，按日期浏览 →]({rel(here, layout.archive())})</p>',
        "## 街道 { #streets }\n\n" + "\n\n".join(streets) if streets else "",
        f"## 项目 {{ #programmes }}\n\n{programmes}" if busiest else "",
        f"## 按日期 {{ #years }}\n\n{year_chips}",
        description=f"{site_name}：{summary_sentence(index)}",
    )
