"""The search index built in a forked child during `mkdocs build`."""

from __future__ import annotations

import os
import sys

import pytest
from bulletin.site import background

pytestmark = pytest.mark.skipif(not background.usable(), reason="needs Linux, two cores and no other thread")


def test_the_child_does_the_work_and_the_parent_waits(tmp_path):
    out = tmp_path / "done"
    job = background.start(lambda: out.write_text(str(os.getpid())), in_background=True)
    assert job.process is not None
    background.join(job)
    assert out.read_text() != str(os.getpid())  # written by another process


def test_a_failing_child_fails_the_join(tmp_path, capfd):
    def boom():
        raise ValueError("索引坏了")

    job = background.start(boom, in_background=True)
    with pytest.raises(RuntimeError, match="exit code 1"):
        background.join(job)
    assert "索引坏了" in capfd.readouterr().err


def test_a_quiet_failure_prints_nothing(capfd):
    def quiet():
        raise SystemExit(2)

    job = background.start(quiet, in_background=True)
    with pytest.raises(RuntimeError, match="exit code 2"):
        background.join(job)
    assert capfd.readouterr().err == ""


def test_cancel_stops_the_child(tmp_path):
    out = tmp_path / "late"
    job = background.start(lambda: (__import__("time").sleep(30), out.write_text("written")), in_background=True)
    background.cancel(job)
    assert not job.process.is_alive() and not out.exists()


def test_not_in_background_runs_at_join(tmp_path):
    seen = []
    job = background.start(lambda: seen.append(os.getpid()), in_background=False)
    assert job.process is None and seen == []
    background.join(job)
    assert seen == [os.getpid()]


@pytest.mark.skipif(sys.platform != "linux", reason="linux")
def test_mkdocs_build_writes_the_same_index_either_way(tmp_path, monkeypatch):
    """`mkdocs build` (child process) and a build with the index in-process give the same files."""
    import shutil
    import subprocess
    from pathlib import Path

    from conftest import EXAMPLE_TAXONOMY, bl_copy_site_config, bl_example_archive

    root = tmp_path / "project"  # the tests' own archive; site folders inside it, as mkdocs.yml's check asks
    shutil.copytree(bl_example_archive() / "content", root / "content")
    shutil.copy(EXAMPLE_TAXONOMY, root / "taxonomy.yml")
    bl_copy_site_config(root)
    mkdocs = Path(sys.executable).parent / "mkdocs"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([str(mkdocs), "build", "-q", "-d", str(root / "a")], cwd=root, env=env, check=True)
    subprocess.run([sys.executable, "-c", "import threading, sys, runpy;"
                    "threading.Thread(target=lambda: __import__('time').sleep(60), daemon=True).start();"
                    "sys.argv=['mkdocs','build','-q','-d',sys.argv[1]]; runpy.run_module('mkdocs', run_name='__main__')",
                    str(root / "b")], cwd=root, env=env, check=True)  # a second thread: no fork
    idx_a, idx_b = root / "a" / "search" / "idx", root / "b" / "search" / "idx"
    files_a = sorted(p.relative_to(idx_a) for p in idx_a.rglob("*") if p.is_file())
    assert files_a and files_a == sorted(p.relative_to(idx_b) for p in idx_b.rglob("*") if p.is_file())
    assert all((idx_a / p).read_bytes() == (idx_b / p).read_bytes() for p in files_a)
