"""requirements.lock: the whole tree, hash-pinned, in step with pyproject.toml."""

from __future__ import annotations

import importlib.util
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements.lock"
spec = importlib.util.spec_from_file_location("check_lock", ROOT / "scripts" / "check_lock.py")
check_lock = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_lock)


def test_the_committed_lock_holds_every_pin_of_pyproject():
    assert check_lock.problems(ROOT / "pyproject.toml", LOCK) == []


def test_every_locked_package_has_hashes():
    entries = re.split(r"\n(?=[A-Za-z0-9])", LOCK.read_text(encoding="utf-8"))
    packages = [e for e in entries if re.match(r"[A-Za-z0-9][\w.-]*==", e)]
    assert len(packages) > 40
    for entry in packages:
        assert "--hash=sha256:" in entry, entry.splitlines()[0]


def test_the_build_backend_is_the_locked_one():
    py = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert py["build-system"]["requires"] == py["dependency-groups"]["build"]


@pytest.mark.parametrize(
    ("added", "says"),
    [('"bulletin-never-locked==1.0",', "没有 bulletin-never-locked==1.0"), ('"bulletin-never-locked>=1.0",', "没有固定版本")],
)
def test_a_dependency_added_without_make_lock_is_named(tmp_path, added, says):
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(text.replace("dependencies = [", "dependencies = [" + added, 1), encoding="utf-8")
    found = check_lock.problems(tmp_path / "pyproject.toml", LOCK)
    assert len(found) == 1 and says in found[0]


def test_a_missing_lock_is_named(tmp_path):
    assert check_lock.problems(ROOT / "pyproject.toml", tmp_path / "requirements.lock") == [
        "requirements.lock 不存在：运行 make lock 生成"
    ]


def test_setup_installs_only_the_locked_tree():
    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^STAMP .*\$\(LOCK\)", make, re.M), "the stamp must change with the lock"
    assert re.search(r"^\$\(STAMP\): pyproject.toml \$\(LOCK\)", make, re.M)
    installs = [line for line in make.splitlines() if "pip install" in line]
    assert all("--require-hashes" in line or "--no-deps --no-build-isolation -e ." in line for line in installs), installs
