"""Where the project is: its mkdocs.yml, content folder and taxonomy, from any working folder.

Commands run from a sub-folder (``raw/``, ``content/articles/2021``) or with a
relative ``--taxonomy`` used to lose the taxonomy silently and write pages
without district or programmes. Here the project is found the way git finds
a repository: search up from the working folder for ``mkdocs.yml`` (whose
``bulletin`` plugin names the taxonomy and whose ``docs_dir`` is the content)
or, failing that, a bare ``taxonomy.yml``. A taxonomy that is named (by
``--taxonomy`` or in mkdocs.yml) but missing is an error, never an empty one.
The site's output folder (``site_dir``) is the project's too: no command
writes pages into it, since the next build empties it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")
TAXONOMY_NAME = "taxonomy.yml"
PLUGIN = "bulletin"


class ProjectError(ValueError):
    """A one-line reason, already in the words the editor reads."""


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml as data: ``!ENV`` and ``!!python/name:`` tags read as plain values."""


def _any_tag(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)


_ConfigLoader.add_multi_constructor("!", _any_tag)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _any_tag)


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def unsafe_relative(value: str) -> str | None:
    """Why ``value`` cannot be a relative path inside the project or the site, or None."""
    if not value.strip():
        return "不能为空"
    if _CONTROL.search(value):
        return "含有控制字符"
    if value.startswith(("/", "\\", "~")) or re.match(r"[A-Za-z]:", value) or "://" in value:
        return "应为相对路径（不能以 / 开头，也不能是网址）"
    if ".." in re.split(r"[/\\]", value):
        return "不能含有 .."
    return None


@dataclass
class Project:
    root: Path | None  # the folder of mkdocs.yml (or of a bare taxonomy.yml)
    config: Path | None  # mkdocs.yml, when there is one
    content: Path  # the articles' docs_dir
    taxonomy: Path | None  # the taxonomy to use; None: there is none
    how: str  # how the taxonomy was found, for the report


def shown(path: Path) -> str:
    """``path`` relative to the working folder when below it, as an editor would type it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def plugin_settings(config: Path) -> tuple[dict | None, dict]:
    """The ``bulletin`` plugin's settings in ``config`` (None when it is not listed) and the whole config."""
    try:
        data = yaml.load(config.read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ProjectError(f"{shown(config)}:{mark.line + 1 if mark else 1}: 无法读取网站配置（{type(exc).__name__}）") from None
    if not isinstance(data, dict):
        return None, {}
    plugins = data.get("plugins") or []
    items = plugins.items() if isinstance(plugins, dict) else (
        (p, {}) if isinstance(p, str) else next(iter(p.items()), (None, None)) for p in plugins if p)
    for name, settings in items:
        if name == PLUGIN:
            return (settings if isinstance(settings, dict) else {}), data
    return None, data


def taxonomy_of_config(config: Path, setting: str | None) -> Path | None:
    """The taxonomy an mkdocs.yml uses: the plugin's ``taxonomy`` setting (which must
    exist), else ``taxonomy.yml`` beside it when there is one."""
    if setting:
        path = config.parent / setting
        if not path.is_file():
            text = config.read_text(encoding="utf-8", errors="replace")
            m = re.search(r"^\s*taxonomy\s*:", text, re.M)
            line = text.count("\n", 0, m.start()) + 1 if m else 1
            raise ProjectError(f"{shown(config)}:{line}: 插件设置的分类表 {setting} 不存在（{shown(path)}）")
        return path
    default = config.parent / TAXONOMY_NAME
    return default if default.is_file() else None


def _stops(start: Path):
    """``start`` and the folders above it, up to the repository root (a folder with .git)."""
    for folder in (start, *start.parents):
        yield folder
        if (folder / ".git").exists():
            return


def symlinked_folders(content: Path) -> list[Path]:
    """Folders of the content tree that are symlinks (not entered): pages written
    through one land wherever it points."""
    out, todo = [], [content]
    while todo:
        try:
            entries = list(os.scandir(todo.pop()))
        except OSError:
            continue
        for entry in entries:
            if entry.is_symlink():
                if entry.is_dir():
                    out.append(Path(entry.path))
            elif entry.is_dir(follow_symlinks=False):
                todo.append(Path(entry.path))
    return sorted(out)


def refuse_outside(found: Project) -> Project:
    """ProjectError when mkdocs.yml puts the content or the taxonomy outside the
    project, or the content tree has a symlinked folder: commands write there."""
    root = found.root.resolve()
    named = found.config or found.taxonomy
    for what, path in (("docs_dir", found.content), ("taxonomy", found.taxonomy)):
        if path is not None and root != path.resolve() and root not in path.resolve().parents:
            raise ProjectError(f"{shown(named)}: {what} 指向项目目录之外（{path}）：bulletin 命令只读写项目里的文件")
    if found.content.is_symlink() and root not in found.content.resolve().parents:
        raise ProjectError(f"{shown(found.content)}: 内容目录是指向项目以外的符号链接")
    for link in symlinked_folders(found.content)[:1]:
        raise ProjectError(f"{shown(link)}: 内容目录里的文件夹是符号链接，写入的页面会落到它指向的地方：请换成普通文件夹")
    return found


def find_project(start: Path | None = None) -> Project:
    """The project the working folder (or ``start``) belongs to; a Project with no root when none."""
    start = (start or Path.cwd()).resolve()
    for folder in _stops(start):
        config = next((folder / n for n in CONFIG_NAMES if (folder / n).is_file()), None)
        if config is not None:
            settings, data = plugin_settings(config)
            taxonomy = taxonomy_of_config(config, (settings or {}).get("taxonomy"))
            content = folder / str(data.get("docs_dir") or "docs")
            how = f"{shown(config)} 的设置" if (settings or {}).get("taxonomy") else f"{shown(config)} 旁边"
            return refuse_outside(Project(folder, config, content, taxonomy, how))
        if (folder / TAXONOMY_NAME).is_file():
            return refuse_outside(Project(folder, None, folder / "content", folder / TAXONOMY_NAME,
                                          f"从 {shown(start)} 向上查找"))
    return Project(None, None, Path("content"), None, f"从 {start} 向上没有找到 mkdocs.yml 或 {TAXONOMY_NAME}")


def taxonomy_path(option: Path | None, project: Project | None = None) -> tuple[Path | None, str]:
    """The taxonomy a command uses and how it was found: ``--taxonomy`` when given
    (it must exist), else the project's. Raises ProjectError."""
    if option is not None:
        if not Path(option).is_file():
            what = "是目录，不是文件" if Path(option).is_dir() else "不存在"
            raise ProjectError(f"--taxonomy 指定的分类表 {option} {what}")
        return Path(option), "--taxonomy"
    project = project or find_project()
    return project.taxonomy, project.how


def no_taxonomy_note(how: str) -> str:
    """What an editor must know when there is no taxonomy at all."""
    return (f"没有分类表（{how}）：街道所属的区和分类表中的项目都不会标注；"
            f"请在项目目录中运行，或用 --taxonomy 指定 {TAXONOMY_NAME}")


def site_output(config: Path = Path("mkdocs.yml")) -> Path:
    """The build's output folder: ``site_dir`` of mkdocs.yml (default ``site``),
    read without YAML (mkdocs.yml has ``!ENV`` tags a safe loader refuses)."""
    try:
        text = config.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""
    m = re.search(r"""^site_dir:[ \t]*["']?([^"'#\r\n]*?)["']?[ \t]*(?:#.*)?$""", text, re.M)
    return config.parent / (m.group(1).strip() if m and m.group(1).strip() else "site")


def refuse_site_output(content: Path, config: Path | None) -> None:
    """:class:`ProjectError` when ``content`` is inside the site output of ``config``
    (the project's mkdocs.yml; none: no site): the next build would delete it."""
    if config is None:
        return
    site = site_output(config).resolve()
    if content.resolve() == site or site in content.resolve().parents:
        raise ProjectError(
            f"--content {content} 在网站输出目录 {site_output(config).name} 之内：下次构建会清空这个目录、删除这些页面；"
            "请用 content/ 或其他目录")
