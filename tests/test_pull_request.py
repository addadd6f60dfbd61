"""An editor's pull request passes CI: made as docs/editors-guide.zh.md says (a new raw
page imported on a branch of a fresh clone, a new street in the taxonomy, a page that is
not news deleted, committed through the pre-commit check), then CI's steps of
.github/workflows/publish.yml run on it.

CI's `make test` (.ci/run) is the whole suite, minutes long: here it is the tests that
once read the archive (the guide's walk, the golden import, the example site), run in
the clone; test_tests_own_their_fixtures holds every other test to the same rule.
BULLETIN_PR_FULL_CI=1 runs the whole `.ci/run` in the clone instead.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import yaml
from volunteer import bl_volunteer_clone, sh

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "publish.yml"

# A new page as volunteers get them: the paper's banner, then two short reports, one sentence a line.
PAGE = """\
社区快讯                2023年5月12日  第18期

幸福里社区开展消防演练
    本报讯 5月10日下午，任港街道幸福里社区组织居民开展消防疏散演练。
    消防员现场讲解灭火器的使用方法。
    居民们纷纷表示受益匪浅。
                                （通讯员 刘洋）

观音山街道举办老年人健康讲座
    本报讯 5月11日上午，观音山街道邀请社区医院医生为老年人讲解慢性病防治知识。
    讲座结束后，医生为老人免费测量血压。
                                （通讯员 赵敏）
"""

ARCHIVE_TESTS = ["tests/test_guide.py", "tests/test_import_golden.py", "tests/test_reimport.py",
                 "tests/test_plainmd.py", "tests/test_site_build.py::test_project_site_builds_strict"]


def ok(proc) -> str:
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    return out


def pull_request_steps() -> list[tuple[str, str]]:
    """(name, script) of the build job's run steps that run on a pull request."""
    steps = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]["build"]["steps"]
    return [(s["name"], s["run"]) for s in steps
            if "run" in s and "github.event_name != 'pull_request'" not in str(s.get("if", ""))
            and "failure()" not in str(s.get("if", ""))]


def test_an_editors_pull_request_passes_ci(tmp_path):
    work, env = bl_volunteer_clone(tmp_path, examples=False)  # the archive as it is now, whatever it holds
    ok(sh("make setup\ngit pull\ngit switch -c jianbao-2023-05-12", work, env))
    (tmp_path / "home" / "2023-05-12.txt").write_text(PAGE, encoding="utf-8")
    imported = ok(sh("cp ~/2023-05-12.txt raw/\nbulletin import raw/2023-05-12.txt", work, env))
    assert re.search(r"新写入\s*│\s*[1-9]", imported), imported
    tax = work / "taxonomy.yml"
    text = tax.read_text(encoding="utf-8")
    if "观音山街道" not in text:
        tax.write_text(text.replace("\nprogrammes:", "  - {name: 观音山街道, district: 崇川区, city: 南通市}\n\nprogrammes:", 1),
                       encoding="utf-8")
    ok(sh("bulletin retag", work, env))
    not_news = sorted((work / "content" / "articles").rglob("*.md"))[0]
    ok(sh(f"git rm -q {not_news.relative_to(work)}", work, env))
    committed = ok(sh('git add -A raw content taxonomy.yml\ngit commit -m "添加 2023-05-12 社区快讯"', work, env))
    assert "Passed" in committed, committed  # the pre-commit check ran

    steps = pull_request_steps()
    assert [name for name, script in steps if "make test" in script] == ["Install and test"]
    env = {**env, "GITHUB_EVENT_NAME": "pull_request"}
    for name, script in steps:
        if "make test" in script:
            if os.environ.get("BULLETIN_PR_FULL_CI"):
                ok(sh(".ci/run", work, env, timeout=5400))
            else:
                ok(sh("pytest -q -p no:cacheprovider -m 'not browser' " + " ".join(ARCHIVE_TESTS), work, env,
                      timeout=900))
        else:
            out = ok(sh(script, work, env))
            assert "NO_MKDOCS_2_WARNING" not in out, out  # Material's English box about MkDocs 2.0: not for editors
    assert (work / "site" / "index.html").is_file()


ARCHIVE_PATH = re.compile(r"""(\bROOT|parents\[1\]|parent\.parent)\s*/\s*["'](content|raw|taxonomy\.yml)\b"""
                          r"""|\bPath\(["'](content|raw|taxonomy\.yml)\b|^(?!.*ls-files).*\bcwd=ROOT\b""")  # git ls-files: the clone's tool files


def test_tests_own_their_fixtures():
    """No test reads the archive (content/, raw/, taxonomy.yml at the project's root): editors change
    it in every pull request. Tests use tests/examples/ (conftest.EXAMPLES) or write their own."""
    readers = [f"{p.name}:{n}" for p in sorted((ROOT / "tests").glob("*.py"))
               for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if ARCHIVE_PATH.search(line)]
    assert readers == []


def test_a_failed_run_says_in_chinese_what_to_do(tmp_path):
    """The workflow's last word on a failure: which step failed and what the editor does, in Chinese,
    as an annotation and on the run's summary page."""
    steps = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]["build"]["steps"]
    [hint] = [s for s in steps if str(s.get("if", "")).startswith("failure()")]
    ids = {s.get("id") for s in steps}
    assert {"test", "check", "build"} <= ids and all(f"steps.{i}.outcome" in str(hint["env"]) for i in ("test", "check", "build"))
    said = {}
    for failed in ("test", "check", "build", "none"):
        summary = tmp_path / f"{failed}.md"
        env = {"PATH": os.environ.get("PATH", ""), "GITHUB_STEP_SUMMARY": str(summary),
               **{k: ("failure" if k.lower() == failed else "success") for k in ("TEST", "CHECK", "BUILD")}}
        proc = subprocess.run(["bash", "-e", "-c", hint["run"]], env=env, capture_output=True, text=True, timeout=30)
        assert proc.returncode == 0, proc.stderr
        [line] = [ln for ln in proc.stdout.splitlines() if ln.startswith("::error")]
        assert len(re.findall(r"[\u4e00-\u9fff]", line)) >= 20 and summary.read_text(encoding="utf-8").count("\n- ") == 1
        said[failed] = line
    assert "bulletin check" in said["check"] and "make build" in said["build"] and "Re-run" in said["none"]
    assert len(set(said.values())) == 4
