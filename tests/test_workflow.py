"""The CI workflow and the pre-commit hook: linted, structurally checked, and shown to catch breakage.

Every lint here is also run on deliberately broken copies, so a test that
cannot fail would be noticed.
"""

from __future__ import annotations

import copy
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "publish.yml"
PRECOMMIT = ROOT / ".pre-commit-config.yaml"
HOOK = ROOT / "scripts" / "bulletin-hook"
BIN = Path(sys.executable).parent
PINNED = re.compile(r"^[\w.-]+/[\w.-]+@[0-9a-f]{40}$")
MAIN_ONLY = "github.event_name != 'pull_request' && github.ref == 'refs/heads/main'"


def load(path: Path = WORKFLOW) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def triggers(doc: dict) -> dict:
    on = doc.get("on", doc.get(True))  # YAML 1.1 reads a bare `on` as True
    return {on: None} if isinstance(on, str) else dict.fromkeys(on) if isinstance(on, list) else on or {}


def step_index(steps: list[dict], pred) -> int:
    return next((i for i, s in enumerate(steps) if pred(s)), -1)


def uses(step: dict, action: str) -> bool:
    return str(step.get("uses", "")).split("@")[0] == action


def workflow_problems(doc: dict) -> list[str]:
    """What the project relies on in publish.yml; empty when all is there."""
    out: list[str] = []
    on = triggers(doc)
    if "pull_request" not in on:
        out.append("not run on pull requests")
    push = on.get("push") or {}
    if "main" not in (push.get("branches") or []):
        out.append("not run on pushes to main")
    if (doc.get("permissions") or {}) != {"contents": "read"}:
        out.append("workflow permissions should be contents: read only")
    jobs = doc.get("jobs") or {}
    build, deploy = jobs.get("build") or {}, jobs.get("deploy") or {}
    steps = build.get("steps") or []
    checkout = step_index(steps, lambda s: uses(s, "actions/checkout"))
    setup = step_index(steps, lambda s: uses(s, "actions/setup-python"))
    test = step_index(steps, lambda s: re.search(r"(^|\n)\s*make test\b", s.get("run", "")))
    check = step_index(steps, lambda s: re.search(r"\bbulletin check\b.*\bcontent\b", s.get("run", "")))
    make_build = step_index(steps, lambda s: re.search(r"(^|\n)\s*make build\b", s.get("run", "")))
    upload = step_index(steps, lambda s: uses(s, "actions/upload-pages-artifact"))
    order = [checkout, setup, test, check, make_build, upload]
    if -1 in order:
        out.append(f"build job misses a step (checkout, setup-python, make test, bulletin check, make build, upload): {order}")
    elif order != sorted(order):
        out.append(f"build steps out of order: {order}")
    if setup != -1 and str((steps[setup].get("with") or {}).get("python-version")) != "3.11":
        out.append("setup-python should use Python 3.11")
    pages = step_index(steps, lambda s: uses(s, "actions/configure-pages"))
    if pages == -1 or not (pages < make_build) or steps[pages].get("id") != "pages":
        out.append("the site address should come from actions/configure-pages (id pages) before make build")
    elif "steps.pages.outputs.base_url" not in str(steps[make_build].get("env")) or "SITE_URL" not in steps[make_build].get("run", ""):
        out.append("make build does not get SITE_URL from the address configure-pages reports")
    if upload != -1:
        up = steps[upload]
        if (up.get("with") or {}).get("path") != "site":
            out.append("upload-pages-artifact should upload site/")
        if up.get("if") != MAIN_ONLY:
            out.append("the site is uploaded on pull requests too")
    preview = step_index(steps, lambda s: uses(s, "actions/upload-artifact"))
    if preview == -1 or not (make_build < preview) or (steps[preview].get("with") or {}).get("path") != "site" \
            or steps[preview].get("if") != "github.event_name == 'pull_request'":
        out.append("pull requests should upload site/ (actions/upload-artifact) after make build")
    if "build" not in ([deploy.get("needs")] if isinstance(deploy.get("needs"), str) else deploy.get("needs") or []):
        out.append("deploy does not wait for build")
    if deploy.get("if") != MAIN_ONLY:
        out.append("deploy is not limited to main")
    if (deploy.get("permissions") or {}) != {"pages": "write", "id-token": "write"}:
        out.append("deploy needs exactly pages: write and id-token: write")
    env = deploy.get("environment") or {}
    if env.get("name") != "github-pages" or "steps.deployment.outputs.page_url" not in str(env.get("url")):
        out.append("deploy environment should be github-pages with the deployment URL")
    dsteps = deploy.get("steps") or []
    d = step_index(dsteps, lambda s: uses(s, "actions/deploy-pages"))
    if d == -1 or dsteps[d].get("id") != "deployment":
        out.append("deploy job should run actions/deploy-pages with id deployment")
    out += [f"{s['uses']}: not pinned by a commit" for job in jobs.values() for s in job.get("steps") or []
            if "uses" in s and not PINNED.match(s["uses"])]
    return out


def lint_schema(path: Path, schema: str) -> subprocess.CompletedProcess:
    exe = BIN / "check-jsonschema"
    assert exe.exists(), "check-jsonschema missing: make setup"
    return subprocess.run([str(exe), "--builtin-schema", schema, str(path)], capture_output=True, text=True, timeout=60)


def lint(path: Path) -> subprocess.CompletedProcess:
    return lint_schema(path, "vendor.github-workflows")


# --------------------------------------------------------------------------- workflow


def test_workflow_passes_the_schema_lint():
    result = lint(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflow_has_what_the_project_relies_on():
    assert workflow_problems(load()) == []


def _dump(doc: dict, tmp_path: Path) -> Path:
    out = tmp_path / "publish.yml"
    out.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return out


def test_the_site_address_comes_from_configure_pages():
    doc = load()
    steps = doc["jobs"]["build"]["steps"]
    pages = step_index(steps, lambda s: uses(s, "actions/configure-pages"))
    broken = copy.deepcopy(doc)
    del broken["jobs"]["build"]["steps"][pages]
    assert any("configure-pages" in p for p in workflow_problems(broken))
    broken = copy.deepcopy(doc)
    build = step_index(broken["jobs"]["build"]["steps"], lambda s: "make build" in s.get("run", ""))
    broken["jobs"]["build"]["steps"][build]["env"] = {"SITE_URL": "https://bulletin.example.org/"}
    assert any("SITE_URL" in p for p in workflow_problems(broken))
    assert "example.org" not in WORKFLOW.read_text(encoding="utf-8")


SCHEMA_BREAKS = {
    "misspelled runs-on": lambda d: d["jobs"]["build"].update({"runs_on": d["jobs"]["build"].pop("runs-on")}),
    "unknown event": lambda d: d["on"].update({"pull-request": None}),
    "bad permission value": lambda d: d["jobs"]["deploy"]["permissions"].update({"pages": "admin"}),
    "step without run or uses": lambda d: d["jobs"]["build"]["steps"].append({"name": "nothing"}),
    "jobs not a mapping": lambda d: d.update({"jobs": ["build"]}),
}


@pytest.mark.parametrize("name", SCHEMA_BREAKS)
def test_schema_lint_rejects_a_broken_workflow(tmp_path, name):
    doc = load()
    doc["on"] = doc.pop(True)  # dump the key as `on`, not `true`
    SCHEMA_BREAKS[name](doc)
    result = lint(_dump(doc, tmp_path))
    assert result.returncode != 0, f"{name} was not caught"
    assert "'on' is a required property" not in result.stdout  # failed for the intended reason


def test_schema_lint_rejects_broken_yaml(tmp_path):
    broken = tmp_path / "publish.yml"
    broken.write_text(WORKFLOW.read_text(encoding="utf-8").replace("    steps:\n", "    steps\n", 1), encoding="utf-8")
    assert lint(broken).returncode != 0


def test_unchanged_round_trip_still_passes(tmp_path):
    """The breakage tests dump through PyYAML; make sure that alone is not what fails them."""
    doc = load()
    doc["on"] = doc.pop(True)
    assert lint(_dump(doc, tmp_path)).returncode == 0


STRUCTURE_BREAKS = {
    "no pull_request": lambda d: triggers(d).pop("pull_request"),
    "no make test": lambda d: d["jobs"]["build"]["steps"].pop(2),
    "check after build": lambda d: d["jobs"]["build"]["steps"].insert(5, d["jobs"]["build"]["steps"].pop(3)),
    "python 3.12": lambda d: d["jobs"]["build"]["steps"][1]["with"].update({"python-version": "3.12"}),
    "upload on PRs": lambda d: d["jobs"]["build"]["steps"][-1].pop("if"),
    "deploy on PRs": lambda d: d["jobs"]["deploy"].pop("if"),
    "no PR preview": lambda d: d["jobs"]["build"]["steps"].pop(-2),
    "PR preview on main": lambda d: d["jobs"]["build"]["steps"][-2].update({"if": "always()"}),
    "no id-token": lambda d: d["jobs"]["deploy"]["permissions"].pop("id-token"),
    "write-all": lambda d: d.update({"permissions": "write-all"}),
    "wrong environment": lambda d: d["jobs"]["deploy"]["environment"].update({"name": "production"}),
    "deploy-pages by tag": lambda d: d["jobs"]["deploy"]["steps"][0].update({"uses": "actions/deploy-pages@v4"}),
}


@pytest.mark.parametrize("name", STRUCTURE_BREAKS)
def test_structure_check_rejects_a_broken_workflow(name):
    doc = copy.deepcopy(load())
    STRUCTURE_BREAKS[name](doc)
    assert workflow_problems(doc), f"{name} was not caught"


def test_workflow_commands_exist():
    """`make test`, `make build` are Makefile targets; the check step's options are real."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("test", "build"):
        assert re.search(rf"^{target}:", makefile, re.M), f"Makefile has no {target} target"
    from bulletin.cli import main

    [run] = [s["run"] for s in load()["jobs"]["build"]["steps"] if re.match(r"\S*bulletin check", s.get("run", ""))]
    argv = shlex.split(run)
    assert Path(argv[0]).name == "bulletin"
    result = CliRunner().invoke(main, argv[1:-1] + ["--help"])
    assert result.exit_code == 0, result.output  # a usage error (unknown option) would be exit 2


# --------------------------------------------------------------------------- pre-commit


def hooks() -> list[dict]:
    config = yaml.safe_load(PRECOMMIT.read_text(encoding="utf-8"))
    [repo] = config["repos"]
    assert repo["repo"] == "local"
    return repo["hooks"]


def test_precommit_hook_runs_bulletin_check_on_changed_article_pages():
    hook = next(h for h in hooks() if h["id"] == "bulletin-check")
    assert hook["language"] == "system"
    assert hook["entry"] == "sh scripts/bulletin-hook check --"
    assert hook.get("verbose") is True  # a passing check's warnings are shown
    assert hook.get("pass_filenames", True) is True
    files = re.compile(hook["files"])
    assert files.search("content/articles/2021/2021-05-28-page-a1b2c3.md")
    for other in ("content/index.md", "content/articles/2021/a.md.bak", "docs/editors-guide.zh.md",
                  "raw/content/articles/x.md"):
        assert not files.search(other), other


def test_precommit_config_is_valid():
    exe = BIN / "pre-commit"
    if not exe.exists():
        pytest.fail("pre-commit missing: pip install -e '.[test]'")
    result = subprocess.run([str(exe), "validate-config", str(PRECOMMIT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def _git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"})


def _page() -> str:
    import datetime as dt

    from bulletin.model import Article, render_page

    return render_page(Article(
        title="任港街道开展垃圾分类宣传", date=dt.date(2021, 5, 27), issue_date=dt.date(2021, 5, 28),
        source="raw/2021-05-28.txt", streets=["任港街道"], programmes=["垃圾分类"], authors=["张三"],
        body="五月二十七日，任港街道在社区广场开展垃圾分类宣传活动，居民踊跃参加。",
    ))


def test_precommit_run_checks_only_the_changed_pages(tmp_path):
    for tool in (BIN / "pre-commit", BIN / "bulletin"):
        assert tool.exists(), f"{tool.name} missing: pip install -e '.[test]'"
    assert shutil.which("git"), "git missing"
    work = tmp_path / "repo"
    d = work / "content" / "articles" / "2021"
    d.mkdir(parents=True)
    shutil.copy(PRECOMMIT, work / ".pre-commit-config.yaml")
    (work / "scripts").mkdir()
    shutil.copy(HOOK, work / "scripts" / "bulletin-hook")
    (work / ".venv").symlink_to(BIN.parent)  # the hook finds .venv/bin/bulletin: no activate needed
    (work / "taxonomy.yml").write_text("streets: [任港街道]\nprogrammes: [垃圾分类]\n", encoding="utf-8")
    (d / "good.md").write_text(_page(), encoding="utf-8")
    (d / "bad.md").write_text(_page().replace("date: 2021-05-27", "date: 2021-02-30"), encoding="utf-8")
    _git(work, "init", "-q")
    _git(work, "add", "-A")
    env = {**os.environ, "PATH": _path_without_bulletin(), "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}

    def run(*files):
        return subprocess.run([str(BIN / "pre-commit"), "run", "--files", *files], cwd=work, env=env,
                              capture_output=True, text=True, timeout=120)

    ok = run("content/articles/2021/good.md")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    bad = run("content/articles/2021/good.md", "content/articles/2021/bad.md")
    assert bad.returncode == 1
    assert "content/articles/2021/bad.md:3: 错误：date 不是真实存在的日期：2021-02-30" in bad.stdout
    assert "good.md:" not in bad.stdout
    tax = run("taxonomy.yml")  # taxonomy changed: the whole archive is checked
    assert tax.returncode == 1 and "bad.md:3:" in tax.stdout


def _path_without_bulletin() -> str:
    return os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep)
                           if p and not (Path(p) / "bulletin").exists())


def test_hook_without_setup_says_what_to_do(tmp_path):
    """A clone nobody ran `make setup` in: the hook fails with a Chinese hint, not
    pre-commit's "Executable `bulletin` not found"."""
    (tmp_path / "scripts").mkdir()
    shutil.copy(HOOK, tmp_path / "scripts" / "bulletin-hook")
    result = subprocess.run(["sh", "scripts/bulletin-hook", "check", "--"], cwd=tmp_path, capture_output=True,
                            text=True, env={**os.environ, "PATH": _path_without_bulletin()})
    assert result.returncode == 1
    assert "请先在项目目录运行 make setup" in result.stderr
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^setup: .*\n\t.*pre-commit install", makefile, re.M)


# --------------------------------------------------------------------------- static-host variant

STATIC_HOST = ROOT / ".github" / "workflows" / "publish-static-host.yml"


def static_host_problems(doc: dict) -> list[str]:
    """What publishing past GitHub Pages relies on; empty when all is there."""
    out: list[str] = []
    on = triggers(doc)
    if "pull_request" in on or "pull_request_target" in on:
        out.append("a pull request must never publish (nor see the host's secret)")
    if "main" not in ((on.get("push") or {}).get("branches") or []):
        out.append("not run on pushes to main")
    if (doc.get("permissions") or {}) != {"contents": "read"}:
        out.append("workflow permissions should be contents: read only")
    jobs = doc.get("jobs") or {}
    build, sync_job = jobs.get("build") or {}, jobs.get("sync") or {}
    if "vars.STATIC_HOST_REMOTE" not in str(build.get("if")):
        out.append("the build job should be off while STATIC_HOST_REMOTE is unset")
    if sync_job.get("needs") != "build":
        out.append("the sync job should wait for the build job")
    steps, ssteps = build.get("steps") or [], sync_job.get("steps") or []
    make_build = step_index(steps, lambda s: re.search(r"(^|\n)\s*make build\b", s.get("run", "")))
    kept = step_index(steps, lambda s: uses(s, "actions/upload-artifact"))
    fetched = step_index(ssteps, lambda s: uses(s, "actions/download-artifact"))
    sync = step_index(ssteps, lambda s: re.search(r"\brclone sync site\b", s.get("run", "")))
    if -1 in (make_build, kept, fetched, sync) or not (make_build < kept and fetched < sync):
        out.append("build: make build, then upload site; sync: download it, then rclone sync site")
    elif "vars.SITE_URL" not in str(steps[make_build].get("env")):
        out.append("make build does not get SITE_URL")
    if any(uses(s, "actions/checkout") for s in ssteps):
        out.append("the sync job checks out code: nothing of the repository may run where the secret is")
    for name, job in jobs.items():
        for i, s in enumerate(job.get("steps") or []):
            if "secrets." in str(s) and (name, i) != ("sync", sync):
                out.append(f"{name} step {i} sees a secret: only the sync step may")
            if "uses" in s and not PINNED.match(s["uses"]):
                out.append(f"{s['uses']}: not pinned by a commit")
    if sync != -1 and "--checksum" not in ssteps[sync]["run"]:
        out.append("rclone sync without --checksum uploads every rebuilt file")
    return out


def test_static_host_workflow_passes_the_schema_lint():
    result = lint(STATIC_HOST)
    assert result.returncode == 0, result.stdout + result.stderr


def test_static_host_workflow_builds_then_syncs_from_main_only():
    assert static_host_problems(load(STATIC_HOST)) == []


@pytest.mark.parametrize("name", ["pull_request", "secret_in_build", "no_guard", "no_checksum", "checkout_in_sync",
                                  "one_job", "by_tag"])
def test_static_host_check_rejects_a_broken_workflow(name):
    doc = copy.deepcopy(load(STATIC_HOST))
    on = doc.get("on", doc.get(True))
    build, sync = doc["jobs"]["build"], doc["jobs"]["sync"]
    if name == "pull_request":
        on["pull_request"] = None
    elif name == "secret_in_build":
        build["steps"][0]["env"] = {"X": "${{ secrets.RCLONE_CONFIG }}"}
    elif name == "no_guard":
        build.pop("if")
    elif name == "no_checksum":
        for s in sync["steps"]:
            if "rclone sync" in s.get("run", ""):
                s["run"] = s["run"].replace("--checksum", "")
    elif name == "checkout_in_sync":
        sync["steps"].insert(0, dict(build["steps"][0]))
    elif name == "one_job":
        build["steps"] += sync["steps"][1:]
        del doc["jobs"]["sync"]
    elif name == "by_tag":
        sync["steps"][0]["uses"] = "actions/download-artifact@v4"
    assert static_host_problems(doc)


WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actions_are_pinned_by_commit_with_the_tag_in_a_comment(path):
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if re.match(r"\s*(- )?uses:", line)]
    assert lines or path.name == "pr-scope.yml"
    for line in lines:
        assert re.search(r"uses: [\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+(\.\d+)*$", line), line


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_checkout_keeps_no_token(path):
    for job in load(path)["jobs"].values():
        for s in job.get("steps") or []:
            if uses(s, "actions/checkout"):
                assert (s.get("with") or {}).get("persist-credentials") is False, f"{path.name}: {s}"


def test_dependabot_keeps_the_actions_current():
    doc = load(ROOT / ".github" / "dependabot.yml")
    assert [u["package-ecosystem"] for u in doc["updates"]] == ["github-actions"]
    assert lint_schema(ROOT / ".github" / "dependabot.yml", "vendor.dependabot").returncode == 0


# --------------------------------------------------------------------------- pull request scope

SCOPE = ROOT / ".github" / "workflows" / "pr-scope.yml"
HEAD_SHA = "a" * 40


def run_scope(tmp_path: Path, files: list[dict], reviews: list[dict]) -> subprocess.CompletedProcess:
    """pr-scope.yml's step, with a ``gh`` that answers from ``files`` and ``reviews`` through jq."""
    if not shutil.which("jq"):
        pytest.skip("jq is needed to stand in for gh --jq")
    import json

    (tmp_path / "files.json").write_text(json.dumps(files))
    (tmp_path / "reviews.json").write_text(json.dumps(reviews))
    gh = tmp_path / "bin" / "gh"
    gh.parent.mkdir()
    gh.write_text('#!/bin/sh\n# gh api --paginate ENDPOINT --jq FILTER\ncase "$3" in *files) f=files;; *) f=reviews;; esac\n'
                  f'exec jq -r "$5" {tmp_path}/"$f".json\n')
    gh.chmod(0o755)
    doc = load(SCOPE)
    assert set(triggers(doc)) == {"pull_request_target"}
    (step,) = doc["jobs"]["scope"]["steps"]
    assert not any("uses" in s for s in doc["jobs"]["scope"]["steps"])  # nothing checked out
    env = {**os.environ, "PATH": f"{gh.parent}:{os.environ['PATH']}", "REPO": "o/r", "PR": "7", "HEAD": HEAD_SHA}
    return subprocess.run(["bash", "-e", "-c", step["run"]], cwd=tmp_path, env=env, capture_output=True, text=True)


def review(association="MEMBER", commit=HEAD_SHA, state="APPROVED"):
    return {"state": state, "commit_id": commit, "author_association": association}


@pytest.mark.parametrize(("names", "reviews", "passes"), [
    (["content/articles/2021/a.md", "raw/003.txt", "taxonomy.yml"], [], True),
    (["content/articles/2021/a.md", "Makefile"], [], False),
    (["mkdocs.yml"], [review()], True),
    (["mkdocs.yml"], [review(commit="b" * 40)], False),  # approved an earlier commit
    (["mkdocs.yml"], [review("CONTRIBUTOR")], False),
    (["mkdocs.yml"], [review(state="COMMENTED")], False),
    (["content/x/taxonomy.yml.sh", "taxonomy.yml.bak"], [], False),
])
def test_scope_check_passes_articles_and_approved_changes_only(tmp_path, names, reviews, passes):
    result = run_scope(tmp_path, [{"filename": n} for n in names], reviews)
    assert (result.returncode == 0) == passes, result.stdout + result.stderr
    if not passes:
        assert "::error file=" in result.stdout and "需要维护者批准" in result.stdout


def test_scope_check_sees_the_old_name_of_a_renamed_file(tmp_path):
    result = run_scope(tmp_path, [{"filename": "content/a.md", "previous_filename": "Makefile"}], [])
    assert result.returncode == 1 and "Makefile" in result.stdout


def test_codeowners_cover_everything_but_the_archive():
    lines = [line.split() for line in (ROOT / ".github" / "CODEOWNERS").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    assert lines[0][0] == "*" and len(lines[0]) > 1
    assert {tuple(line) for line in lines[1:]} == {("/content/",), ("/raw/",), ("/taxonomy.yml",)}


def test_readme_points_past_the_pages_limit_to_the_static_host_workflow():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "publish-static-host.yml" in readme and "STATIC_HOST_REMOTE" in readme and "RCLONE_CONFIG" in readme


def test_guide_names_the_required_check_and_the_preview():
    """The admin is told the check to make required by the name GitHub shows, and editors
    the artifact name the workflow uploads."""
    doc = load()
    guide = (ROOT / "docs" / "editors-guide.zh.md").read_text(encoding="utf-8")
    assert f"**{doc['jobs']['build']['name']}**" in guide
    [preview] = [s for s in doc["jobs"]["build"]["steps"] if uses(s, "actions/upload-artifact")]
    assert f"下载 `{preview['with']['name']}`" in guide
    # another port than `make serve` (8000): the pull request's site is another origin; built for that address
    from bulletin.editing.preview import PORT

    assert f"bulletin preview {preview['with']['path']}" in guide and PORT == 8001 and "127.0.0.1:8001/" in guide
    [build] = [s for s in doc["jobs"]["build"]["steps"] if re.search(r"^\s*make build\b", s.get("run", ""), re.M)]
    assert 'SITE_URL="http://127.0.0.1:8001/"' in build["run"]
    assert f"{preview['with']['retention-days']} 天后自动删除" in guide


def test_make_serve_listens_on_loopback_only():
    """The editors' preview is for this computer: mkdocs serve on 127.0.0.1, never every interface."""
    dry = subprocess.run(["make", "-n", "-C", str(ROOT), "serve"], capture_output=True, text=True, timeout=60).stdout
    [serve] = [line for line in dry.splitlines() if "mkdocs serve" in line]
    assert re.search(r"--dev-addr 127\.0\.0\.1:\d+( |$)", serve), serve
