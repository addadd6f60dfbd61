"""What the content folder may publish: Markdown pages and real images, at
paths that belong to no theme or generated file.

MkDocs copies every other file of ``docs_dir`` into the site as it is: an
``.html`` or ``.svg`` with a script ran in readers' browsers, and a file at
``assets/bulletin.js`` replaced the theme's script on every page (a docs
file wins over a theme file of the same path). So the folder is an allow
list, checked alike by ``bulletin check`` and the build: ``.md`` pages, PNG,
JPEG and WebP images whose first bytes say they are what their extension
says, and the files that are never published (import records, ``.bak``
backups, hidden files). Pure functions over relative POSIX paths.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

RECORD_DIR = "imports"  # editing.record.RECORD_DIR: the import records, removed from the site by the plugin
# The plugin's generated sections (site/config.py defaults): a content file there would take a generated page's path.
SECTIONS = ("streets", "programmes", "archive", "issues", "search")
SECTION_OPTIONS = ("streets_url", "programmes_url", "archive_url", "search_url", "issue_url_format",
                   "street_url_format", "programme_url_format", "archive_month_url_format")
GENERATED_FILES = ("index.md", "README.md", "404.md", "feed.xml", "sitemap.xml", "sitemap.xml.gz")
HEAD_BYTES = 12  # enough for every signature below
_SIGNATURES = {".png": ("PNG", lambda b: b.startswith(b"\x89PNG\r\n\x1a\n")),
               ".jpg": ("JPEG", lambda b: b.startswith(b"\xff\xd8\xff")),
               ".jpeg": ("JPEG", lambda b: b.startswith(b"\xff\xd8\xff")),
               ".webp": ("WebP", lambda b: b[:4] == b"RIFF" and b[8:12] == b"WEBP")}
ALLOWED = "内容目录只能放 Markdown 页面（.md）和 PNG、JPEG、WebP 图片"


def unpublished(rel: str) -> bool:
    """Files MkDocs or the plugin never publish: import records, backups, hidden files."""
    parts = rel.split("/")
    return (parts[0] == RECORD_DIR and rel.endswith(".yml")) or rel.endswith(".bak") \
        or any(p.startswith(".") for p in parts)


def is_image(rel: str) -> bool:
    return os.path.splitext(rel)[1].lower() in _SIGNATURES


def refusal(rel: str, head: bytes = b"") -> str | None:
    """Why the content file ``rel`` (``head``: its first bytes, read for images only) may not be published."""
    if rel.endswith(".md") or unpublished(rel):
        return None
    suffix = os.path.splitext(rel)[1].lower()
    if suffix == ".md":
        return "扩展名应为小写 .md，否则不会作为文章发布"
    if suffix in _SIGNATURES:
        kind, matches = _SIGNATURES[suffix]
        return None if matches(head) else f"扩展名是 {suffix}，文件内容却不是 {kind} 图片（按文件开头的字节判断），不能发布"
    if suffix in (".svg", ".svgz"):
        return f"SVG 图片可以带脚本，不能发布：请转换成 PNG 或 WebP（{ALLOWED}）"
    return f"{ALLOWED}，{suffix or '没有扩展名的'} 文件会被原样发布到网站，不允许：请删除或移出内容目录"


def taken(rel: str, theme_files: frozenset[str] | set[str], sections: Iterable[str] = SECTIONS) -> str | None:
    """Why ``rel`` would take the path of a theme or generated file, or None."""
    if rel in theme_files:
        return f"与主题文件 {rel} 同路径，会替换网站每一页用到的这个文件：请改名"
    if rel in GENERATED_FILES:
        return f"{rel} 是网站自动生成的页面，内容目录里不能有同名文件：请改名"
    top = rel.split("/")[0] if "/" in rel else rel.removesuffix(".md")
    if top in set(sections):
        return f"在网站自动生成的栏目 {top}/ 的路径上，会替换生成的页面：请移到 articles/ 或改名"
    return None


def sections(settings: Mapping | None) -> tuple[str, ...]:
    """The first folder of every generated section, from the plugin's settings (defaults: SECTIONS)."""
    named = [str(settings[k]).strip("/").split("/")[0] for k in SECTION_OPTIONS if (settings or {}).get(k)]
    return tuple(dict.fromkeys(n for n in named + list(SECTIONS) if n and "{" not in n))


def walk(root: Path) -> list[Path]:
    """Every file and symlink below ``root``, sorted; symlinked folders are listed, not entered."""
    out = []
    for folder, dirs, files in os.walk(root):  # os.walk never follows symlinks by default
        out += [Path(folder, n) for n in files]
        out += [Path(folder, n) for n in dirs if os.path.islink(os.path.join(folder, n))]
    return sorted(out)


def theme_files(dirs: Iterable[str | Path]) -> frozenset[str]:
    """Relative paths of every file of the theme folders (hidden folders skipped, as MkDocs does)."""
    out: set[str] = set()
    for root in dirs:
        for folder, subdirs, files in os.walk(root):
            subdirs[:] = [d for d in subdirs if not d.startswith(".")]
            rel = os.path.relpath(folder, root)
            out.update(f if rel == "." else f"{rel}/{f}".replace(os.sep, "/") for f in files)
    return frozenset(out)


def problems(files: Iterable[tuple[str, Path]], themes: frozenset[str],
             sections: Iterable[str] = SECTIONS) -> list[tuple[Path, str]]:
    """(file, reason) for every content file (``rel``, absolute path) that may not be published."""
    sections = tuple(sections)
    out = []
    for rel, path in files:
        head = b""
        if is_image(rel):
            try:
                with open(path, "rb") as fh:
                    head = fh.read(HEAD_BYTES)
            except OSError:
                pass
        why = refusal(rel, head) or (None if unpublished(rel) else taken(rel, themes, sections))
        if why:
            out.append((path, why))
    return out


def material_dir() -> Path:
    """Material for MkDocs' own theme folder (its files are published too)."""
    import material  # the theme package: only its folder is used

    return Path(material.__file__).parent / "templates"
