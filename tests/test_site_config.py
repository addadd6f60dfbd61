"""mkdocs.yml from a pull request (issue 26): checked before MkDocs reads it
(make build, make serve, CI), checked again by the plugin, and every bulletin
command refuses a content folder or taxonomy outside the project."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import MKDOCS, ROOT, bl_build, bl_copy_site_config, bl_invoke_in, bl_write_content

from bulletin import siteconfig
from bulletin.cli import main

BASE = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
LAUGHS = "extra:\n  a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"  {chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
    f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(9))

ATTACKS = {  # the key each refusal names, and what was added to the project's mkdocs.yml
    "hooks": "hooks:\n  - evil.py\n",
    "markdown_extensions": "markdown_extensions:\n  - pymdownx.snippets:\n      base_path: /\n",
    "extra_javascript": "extra_javascript:\n  - 'data:text/javascript,alert(1)'\n",
    "extra.homepage": "extra:\n  homepage: 'javascript:alert(1)'\n",
    "extra.analytics": "extra:\n  analytics:\n    provider: google\n    property: G-X\n",
    "copyright": "copyright: '<script>alert(1)</script>'\n",
    "extra.env": "extra:\n  env: !ENV HOME\n",
    "docs_dir": "docs_dir: /etc\n",
    "site_dir": "site_dir: /tmp/outside-site\n",
    "theme.custom_dir": "theme:\n  name: material\n  custom_dir: ../elsewhere\n",
    "nav": "nav:\n  - x: 'javascript:alert(1)'\n",
    "plugins": "plugins:\n  - bulletin\n  - macros\n",
    "INHERIT": "INHERIT: ../other.yml\n",
    "markdown_extensions.toc": "markdown_extensions:\n  - toc:\n      slugify: !!python/name:os.system\n",
}


def with_added(tmp_path: Path, addition: str) -> Path:
    """The project's mkdocs.yml with ``addition`` replacing any top-level key of the same name."""
    text = BASE
    for key in re.findall(r"^(\w+):", addition, re.M):
        text = re.sub(rf"^{key}:.*?(?=^\S|\Z)", "", text, flags=re.M | re.S)
    path = tmp_path / "mkdocs.yml"
    path.write_text(text + "\n" + addition, encoding="utf-8")
    return path


def test_the_projects_own_configuration_passes():
    assert siteconfig.problems(ROOT / "mkdocs.yml") == []


@pytest.mark.parametrize("key", ATTACKS)
def test_each_attack_is_refused_in_one_line_naming_the_key(tmp_path, key):
    found = siteconfig.problems(with_added(tmp_path, ATTACKS[key]))
    assert found, key
    head = key.split(".")[0]
    assert any(re.match(rf"mkdocs\.yml:\d+: {re.escape(head)}[.:]", line) or f" {head}" in line for line in found), found
    assert all("\n" not in line for line in found)


def test_aliases_are_refused_before_anything_expands(tmp_path):
    start = time.perf_counter()
    found = siteconfig.problems(with_added(tmp_path, LAUGHS))
    assert time.perf_counter() - start < 1 and len(found) == 1 and "锚点和别名" in found[0]


def test_a_site_dir_holding_tracked_files_is_refused(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "x.py").write_text("", encoding="utf-8")
    subprocess.run(["git", "-C", str(tmp_path), "add", "."], check=True)
    found = siteconfig.problems(with_added(tmp_path, "site_dir: scripts\n"))
    assert any("site_dir: scripts 里有仓库的文件" in line for line in found), found


def test_the_command_line_fails_before_mkdocs_runs_the_hook(tmp_path):
    (tmp_path / "evil.py").write_text(f"open({str(tmp_path / 'ran')!r}, 'w').write('x')\n", encoding="utf-8")
    config = with_added(tmp_path, ATTACKS["hooks"])
    proc = subprocess.run([sys.executable, "-m", "bulletin.siteconfig", str(config)], capture_output=True, text=True)
    assert proc.returncode == 1 and "hooks: 不允许" in proc.stderr
    assert not (tmp_path / "ran").exists()


def test_make_build_and_serve_check_the_configuration_first():
    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target, command in (("build", "mkdocs build"), ("serve", "mkdocs serve")):
        recipe = re.search(rf"^{target}:.*\n((?:\t.*\n)+)", make, re.M).group(1)
        assert recipe.index("-m bulletin.siteconfig mkdocs.yml") < recipe.index(command), target


@pytest.mark.parametrize("key", ["hooks", "extra_javascript", "markdown_extensions", "plugins"])
def test_the_plugin_checks_again_when_mkdocs_is_run_directly(tmp_path, key):
    bl_write_content(tmp_path)
    bl_copy_site_config(tmp_path)
    (tmp_path / "evil.py").write_text("", encoding="utf-8")
    addition = ATTACKS[key].replace("pymdownx.snippets:\n      base_path: /", "abbr").replace("macros", "search")
    with_added(tmp_path, addition)
    proc = bl_build(tmp_path)
    assert proc.returncode != 0
    assert f"mkdocs.yml: {key}" in proc.stderr, proc.stderr[-1500:]


def test_site_url_comes_from_the_environment_and_must_be_http(tmp_path):
    bl_write_content(tmp_path)
    bl_copy_site_config(tmp_path)
    proc = subprocess.run([str(MKDOCS), "build", "--strict"], cwd=tmp_path, capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "SITE_URL": "javascript:alert(1)//"})
    assert proc.returncode != 0 and "SITE_URL" in proc.stderr


def test_commands_refuse_a_content_folder_outside_the_project(tmp_path):
    outside = tmp_path / "outside"
    (outside / "articles").mkdir(parents=True)
    project = tmp_path / "p"
    project.mkdir()
    bl_write_content(project)
    (project / "mkdocs.yml").write_text(f"site_name: x\ndocs_dir: {outside}\n", encoding="utf-8")
    result = bl_invoke_in(project, main, "check")
    assert result.exit_code == 1 and "docs_dir 指向项目目录之外" in result.output


def test_commands_refuse_a_symlinked_folder_in_the_content(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    project = tmp_path / "p"
    project.mkdir()
    bl_write_content(project)
    bl_copy_site_config(project)
    (project / "content" / "articles" / "2030").symlink_to(outside, target_is_directory=True)
    raw = project / "raw.txt"
    raw.write_text("本报讯 社区举办活动。\n", encoding="utf-8")
    page = next((project / "content" / "articles").rglob("*.md"))
    for args in (["check"], ["import", "raw.txt", "--issue-date", "2021-05-28"], ["retag"], ["candidates"],
                 ["split", str(page), "--at", "正文", "--title", "x"], ["merge", str(page), str(page) + "x"]):
        result = bl_invoke_in(project, main, *args)
        assert result.exit_code == 1 and "content/articles/2030: 内容目录里的文件夹是符号链接" in result.output, (args, result.output)
    assert list(outside.iterdir()) == []


def test_commands_refuse_a_taxonomy_outside_the_project(tmp_path):
    project = tmp_path / "p"
    project.mkdir()
    bl_write_content(project)
    (tmp_path / "elsewhere.yml").write_text((project / "taxonomy.yml").read_text(encoding="utf-8"), encoding="utf-8")
    (project / "mkdocs.yml").write_text("site_name: x\ndocs_dir: content\nplugins:\n  - bulletin:\n      taxonomy: ../elsewhere.yml\n",
                                        encoding="utf-8")
    for args in (["check"], ["retag"], ["candidates"]):
        result = bl_invoke_in(project, main, *args)
        assert result.exit_code == 1 and "taxonomy 指向项目目录之外" in result.output, (args, result.output)


def test_serve_and_build_d_choose_their_own_output_folder(tmp_path):
    """`mkdocs serve` builds into a temporary folder and `mkdocs build -d DIR` where its caller
    says: only mkdocs.yml's own site_dir must stay inside the project."""
    from mkdocs.config import load_config

    bl_write_content(tmp_path)
    bl_copy_site_config(tmp_path)
    config = load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path.parent / "mkdocs_serve_tmp"))
    assert siteconfig.loaded_problems(config, tmp_path, serving=True) == []
    assert siteconfig.loaded_problems(config, tmp_path) == []
    with_added(tmp_path, "site_dir: ../outside-site\n")
    config = load_config(str(tmp_path / "mkdocs.yml"))
    assert any("site_dir" in p for p in siteconfig.loaded_problems(config, tmp_path))
