"""The content folder publishes an allow list: Markdown and real PNG, JPEG and
WebP images, at no theme or generated file's path. Attacks of issue 26: an
.html or .svg page with a script, content/assets/bulletin.js replacing the
theme's script on every page, a script named .png."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import bl_build, bl_copy_site_config, bl_invoke_in, bl_write_content

from bulletin import contentfiles
from bulletin.cli import main
from bulletin.editing.record import RECORD_DIR
from bulletin.site.config import BulletinConfig

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 "


@pytest.mark.parametrize(("rel", "head", "says"), [
    ("articles/2021/a.md", b"", None),
    ("articles/2021/a.png", PNG, None),
    ("articles/2021/a.JPG", JPEG, None),
    ("img/a.jpeg", JPEG, None),
    ("img/a.webp", WEBP, None),
    ("imports/2021/x.yml", b"", None),
    ("articles/2021/a.md.bak", b"", None),
    (".gitkeep", b"", None),
    ("evil.html", b"", ".html 文件会被原样发布"),
    ("articles/x.svg", b"<svg onload=alert(1)>", "SVG 图片可以带脚本"),
    ("assets/bulletin.js", b"", ".js 文件"),
    ("a.png", b"<script>alert(1)</script>", "文件内容却不是 PNG 图片"),
    ("a.webp", PNG, "不是 WebP 图片"),
    ("a.jpg", b"", "不是 JPEG 图片"),
    ("articles/a.MD", b"", "小写 .md"),
    ("imports/x.html", b"", ".html"),
    ("README", b"", "没有扩展名的"),
])
def test_the_allow_list(rel, head, says):
    why = contentfiles.refusal(rel, head)
    assert (why is None) if says is None else (says in why)


@pytest.mark.parametrize(("rel", "says"), [
    ("assets/bulletin.js", "与主题文件"), ("assets/images/favicon.png", "与主题文件"), ("index.md", "自动生成的页面"),
    ("streets.md", "栏目 streets/"), ("streets/x.md", "栏目 streets/"), ("search/index.md", "栏目 search/"),
    ("issues/a.png", "栏目 issues/"), ("feed.xml", "自动生成的页面"),
])
def test_no_content_file_takes_a_theme_or_generated_path(rel, says):
    themes = contentfiles.theme_files([Path(__file__).parents[1] / "theme", contentfiles.material_dir()])
    assert says in contentfiles.taken(rel, themes)
    assert contentfiles.taken("articles/2021/" + rel.split("/")[-1], themes) is None


def test_the_sections_are_the_plugins():
    cfg = BulletinConfig()
    cfg.load_dict({})
    cfg.validate()
    assert set(contentfiles.sections(cfg)) == set(contentfiles.SECTIONS)
    assert "news" in contentfiles.sections({"street_url_format": "news/{slug}/"})
    assert contentfiles.RECORD_DIR == RECORD_DIR


ATTACKS = {  # issue 26: each was published as it is
    "content/evil.html": b"<script>alert('html')</script>",
    "content/articles/2021/x.svg": b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
    "content/assets/bulletin.js": b"alert('every page')",
    "content/articles/2021/photo.png": b"<script>alert('png')</script>",
    "content/streets/index.md": "# 假的街道页\n".encode(),
}


@pytest.fixture(scope="module")
def attacked(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("stray")
    bl_write_content(root)
    bl_copy_site_config(root)
    for rel, data in ATTACKS.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    (root / "content/articles/2021/real.png").write_bytes(PNG + bytes(64))
    return root


def test_check_names_every_refused_file(attacked):
    result = bl_invoke_in(attacked, main, "check")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    for rel in ATTACKS:
        assert any(line.startswith(f"{rel}:1: 错误：") for line in lines), (rel, result.output)
    assert "real.png" not in result.output


def test_the_build_fails_naming_every_refused_file(attacked):
    proc = bl_build(attacked)
    assert proc.returncode != 0
    for rel in ATTACKS:
        assert f"{rel}:1: 错误：" in proc.stderr, (rel, proc.stderr[-2000:])
    assert not (attacked / "site" / "assets" / "bulletin.js").exists() or b"every page" not in (
        attacked / "site" / "assets" / "bulletin.js").read_bytes()


def test_a_real_image_is_published_and_records_are_not(tmp_path):
    bl_write_content(tmp_path)
    bl_copy_site_config(tmp_path)
    (tmp_path / "content/articles/2021/real.png").write_bytes(PNG + bytes(64))
    (tmp_path / "content/.hidden.html").write_bytes(b"<script>alert(1)</script>")
    proc = bl_build(tmp_path, "--config-file", str(tmp_path / "mkdocs.yml"))
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "site/articles/2021/real.png").read_bytes().startswith(PNG)
    assert not (tmp_path / "site/.hidden.html").exists()
