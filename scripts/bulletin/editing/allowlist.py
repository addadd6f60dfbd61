"""The content folder's allow list (:mod:`bulletin.contentfiles`) for ``bulletin
check``: the files a check reaches inside the project's content folder, with
the theme's files and the plugin's sections read from mkdocs.yml as the build
sees them."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from bulletin import contentfiles, project
from bulletin.contentfiles import walk
from bulletin.editing.rules import Problem, err


def content_problems(found: project.Project, paths: Iterable[Path]) -> list[Problem]:
    """The content folder's allow list (contentfiles) for every file that ``paths``
    (default: the whole folder) reach inside the project's content folder."""
    root = found.content.resolve()
    files = []
    for target in [Path(p) for p in paths] or [Path(project.shown(found.content))]:
        resolved = target.resolve()
        if resolved != root and root not in resolved.parents:
            continue
        for f in [target] if target.is_file() else walk(target) if target.is_dir() else []:
            if f.is_file() and not f.is_symlink():
                files.append((f.resolve().relative_to(root).as_posix(), f))
    if not files:
        return []
    settings, data = project.plugin_settings(found.config) if found.config else (None, {})
    theme = data.get("theme") if isinstance(data.get("theme"), dict) else {}
    custom = [found.config.parent / theme["custom_dir"]] if found.config and isinstance(theme.get("custom_dir"), str) else []
    themes = contentfiles.theme_files(custom + [contentfiles.material_dir()])
    return [err(f, 1, why) for f, why in contentfiles.problems(files, themes, contentfiles.sections(settings))]


