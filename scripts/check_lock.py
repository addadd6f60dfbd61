"""Is requirements.lock the tree pyproject.toml asks for? Run by `make setup`.

Every dependency in pyproject.toml is pinned exactly (`name==version`), and
setup installs only what the lock lists, hash-checked. A dependency added to
pyproject.toml without `make lock` would otherwise be silently missing from
.venv; this says so in one line before anything is installed. Standard library
only: it runs with the system Python, before .venv exists.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

PIN = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*==\s*([^\s;,]+)\s*(?:;.*)?$")
LOCKED = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirements(pyproject: dict) -> list[str]:
    """Every requirement the lock must hold: runtime, extras, groups, build."""
    project = pyproject.get("project", {})
    reqs = list(project.get("dependencies", []))
    for extra in project.get("optional-dependencies", {}).values():
        reqs += extra
    for group in pyproject.get("dependency-groups", {}).values():
        reqs += [r for r in group if isinstance(r, str)]
    reqs += pyproject.get("build-system", {}).get("requires", [])
    return reqs


def problems(pyproject_path: Path, lock_path: Path) -> list[str]:
    pyproject = tomllib.loads(pyproject_path.read_text(encoding="utf-8"))
    if not lock_path.is_file():
        return [f"{lock_path.name} 不存在：运行 make lock 生成"]
    locked = set()
    for line in lock_path.read_text(encoding="utf-8").splitlines():
        if m := LOCKED.match(line):
            locked.add((norm(m[1]), m[2]))
    out = []
    for req in requirements(pyproject):
        m = PIN.match(req)
        if not m:
            out.append(f"{pyproject_path.name}: {req!r} 没有固定版本（写成 名称==版本）")
        elif (norm(m[1]), m[2]) not in locked:
            out.append(f"{lock_path.name} 里没有 {m[1]}=={m[2]}：改过 {pyproject_path.name} 后运行 make lock，并提交 {lock_path.name}")
    return out


def main() -> int:
    root = Path(__file__).resolve().parents[1]
    found = problems(root / "pyproject.toml", root / "requirements.lock")
    for line in found:
        print(line, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
