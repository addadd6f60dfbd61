"""A volunteer editor's clone of this checkout, for the tests that walk the guide
and make a pull request as it says: git clone, .venv (this checkout's, linked:
nothing is installed), a home folder, an origin to push to."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, bl_example_archive, bl_reading_the_archive

VENV = Path(sys.prefix)


def git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def bl_volunteer_clone(tmp_path: Path, examples: bool) -> tuple[Path, dict[str, str]]:
    """(clone, environment) of this working tree as it is (what is tested may not be committed
    yet); with ``examples`` its archive (raw/, content/, taxonomy.yml) is the example archive of
    tests/examples/ (the one the guide's outputs describe), else the archive as this checkout has it."""
    work, home = tmp_path / "archive", tmp_path / "home"
    git("clone", "-q", str(ROOT), str(work), cwd=tmp_path)
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            check=True, capture_output=True, text=True).stdout.split("\0")
    with bl_reading_the_archive():  # a volunteer's clone holds the archive as it is
        for rel in filter(None, listed):
            if (ROOT / rel).is_file():
                (work / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(ROOT / rel, work / rel)
            elif (work / rel).exists():
                (work / rel).unlink()
    if examples:
        for rel in ("raw", "content"):
            shutil.rmtree(work / rel, ignore_errors=True)
            shutil.copytree(bl_example_archive() / rel, work / rel)
        shutil.copy(bl_example_archive() / "taxonomy.yml", work / "taxonomy.yml")
    git("add", "-A", cwd=work)
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "--allow-empty", "-m", "working tree",
        cwd=work)
    # On main, tracking the origin's main (whatever this checkout is on: CI checks out pull
    # requests with a detached HEAD), the origin a bare repository beside it.
    git("switch", "-q", "-C", "main", cwd=work)
    git("clone", "-q", "--bare", str(work), str(tmp_path / "origin.git"), cwd=tmp_path)
    git("remote", "set-url", "origin", str(tmp_path / "origin.git"), cwd=work)
    git("fetch", "-q", "origin", cwd=work)
    git("branch", "-q", "-u", "origin/main", cwd=work)
    (work / ".venv").symlink_to(VENV)
    with (work / ".git" / "info" / "exclude").open("a", encoding="utf-8") as fh:
        fh.write(".venv\n")  # .gitignore's `.venv/` does not match a symlink
    for name in ("pyproject.toml", "requirements.lock"):  # older than .venv's install stamp: make installs nothing
        if (work / name).exists():
            os.utime(work / name, (0, 0))
    home.mkdir()
    env = {
        "HOME": str(home), "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8",
        "GIT_AUTHOR_NAME": "志愿者", "GIT_AUTHOR_EMAIL": "v@example.org",
        "GIT_COMMITTER_NAME": "志愿者", "GIT_COMMITTER_EMAIL": "v@example.org",
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit"),  # no NO_MKDOCS_2_WARNING: the Makefile sets it
        "COLUMNS": "100",
    }
    return work, env


def sh(script: str, work: Path, env: dict[str, str], timeout: int = 300) -> subprocess.CompletedProcess:
    """``script`` in a new bash in ``work``, as a terminal after `source .venv/bin/activate`."""
    return subprocess.run(["bash", "-c", "set -e\n. .venv/bin/activate\n" + script], cwd=work, env=env,
                          capture_output=True, text=True, timeout=timeout)
