"""`kontrakt diff` without BASE compares with a base that answers the question, and says
which: the merge base with main on a branch, the commit before HEAD on main itself.

The portfolio is the English fixture: the comparison is a document in the portfolio's
language, the note under its heading too."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import FIXTURES, git, write
from kontrakt.cli import app
from kontrakt.revisions import GitProblem, default_base, repository

runner = CliRunner()
MERGE_BASE_NOTE = (
    "Base: the merge base of HEAD with {branch}; `kontrakt diff BASE` compares with "
    "another revision.\n"
)
PREVIOUS_NOTE = (
    "Base: the commit before HEAD, as HEAD is on {branch}; `kontrakt diff BASE` compares "
    "with another revision.\n"
)


def commit(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", message)
    return git(repo, "rev-parse", "--short=7", "HEAD")


def start(repo: Path) -> None:
    """Health economics moves from an idea to upcoming."""
    path = repo / "portfolio" / "initiatives" / "health-economics.yaml"
    text = path.read_text(encoding="utf-8")
    assert "status: idea\n" in text
    path.write_text(text.replace("status: idea\n", "status: upcoming\n"), encoding="utf-8")


def add(repo: Path, title: str) -> None:
    write(
        repo / "portfolio", f"initiatives/{title.lower()}.yaml", f"title: {title}\nstatus: idea\n"
    )


def make_repo(tmp_path: Path, branch: str = "main") -> tuple[Path, str]:
    """A repository whose `branch` holds the English portfolio in one commit."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", branch)
    shutil.copytree(FIXTURES / "good" / "english" / "portfolio", root / "portfolio")
    return root, commit(root, "the portfolio")


def diff(repo: Path, *args: str) -> str:
    result = runner.invoke(app, ["diff", *args, "-p", str(repo / "portfolio"), "-f", "markdown"])
    assert result.exit_code == 0, result.output
    return result.output


STARTED = "- **Status:** Health economics?: Ideas → Upcoming\n"


def test_on_main_after_a_commit_the_base_is_the_commit_before_head(tmp_path: Path) -> None:
    repo, first = make_repo(tmp_path)
    start(repo)
    commit(repo, "Health economics starts")
    assert git(repo, "status", "--porcelain") == ""  # all of it committed
    assert diff(repo) == (
        f"## The portfolio: HEAD\\~1 ({first}) → the working tree\n"
        "\n" + PREVIOUS_NOTE.format(branch="main") + "\n### Initiatives\n\n" + STARTED
    )


def test_on_main_uncommitted_changes_count_with_the_last_commit(tmp_path: Path) -> None:
    repo, first = make_repo(tmp_path)
    start(repo)
    commit(repo, "Health economics starts")
    add(repo, "Inclusion")  # not committed
    assert diff(repo) == (
        f"## The portfolio: HEAD\\~1 ({first}) → the working tree\n"
        "\n" + PREVIOUS_NOTE.format(branch="main") + "\n### Initiatives\n\n"
        "- **Added:** Inclusion (ideas)\n" + STARTED
    )


def test_on_a_branch_the_base_is_the_merge_base_with_main(tmp_path: Path) -> None:
    repo, first = make_repo(tmp_path)
    git(repo, "checkout", "-qb", "health-economics")
    start(repo)
    commit(repo, "on the branch")
    add(repo, "Inclusion")
    commit(repo, "on the branch, again")
    # main moves on meanwhile: that change is not the branch's.
    git(repo, "checkout", "-q", "main")
    add(repo, "Elsewhere")
    commit(repo, "on main")
    git(repo, "checkout", "-q", "health-economics")
    assert diff(repo) == (
        f"## The portfolio: main ({first}) → the working tree\n"
        "\n" + MERGE_BASE_NOTE.format(branch="main") + "\n### Initiatives\n\n"
        "- **Added:** Inclusion (ideas)\n" + STARTED
    )


def test_the_first_commit_has_nothing_before_it(tmp_path: Path) -> None:
    repo, first = make_repo(tmp_path)
    assert diff(repo) == (
        f"## The portfolio: main ({first}) → the working tree\n"
        "\n" + MERGE_BASE_NOTE.format(branch="main") + "\nNo changes to the portfolio.\n"
    )


def test_a_master_branch_is_named_as_such(tmp_path: Path) -> None:
    repo, first = make_repo(tmp_path, branch="master")
    start(repo)
    commit(repo, "Health economics starts")
    assert diff(repo).startswith(
        f"## The portfolio: HEAD\\~1 ({first}) → the working tree\n\n"
        + PREVIOUS_NOTE.format(branch="master")
    )


def test_a_base_given_is_used_as_given_without_a_note(tmp_path: Path) -> None:
    repo, _ = make_repo(tmp_path)
    start(repo)
    commit(repo, "Health economics starts")
    assert diff(repo, "HEAD") == (
        "## The portfolio: HEAD → the working tree\n\nNo changes to the portfolio.\n"
    )


def test_default_base(tmp_path: Path) -> None:
    repo, _ = make_repo(tmp_path)
    first = git(repo, "rev-parse", "HEAD")
    at_first = default_base(repository(repo / "portfolio"))
    assert (at_first.commit, at_first.branch, at_first.previous) == (first, "main", False)
    start(repo)
    commit(repo, "Health economics starts")
    on_main = default_base(repository(repo / "portfolio"))
    assert (on_main.commit, on_main.previous, on_main.label) == (
        first,
        True,
        f"HEAD~1 ({first[:7]})",
    )
    git(repo, "checkout", "-qb", "branch")
    add(repo, "Inclusion")
    commit(repo, "on the branch")
    second = git(repo, "rev-parse", "main")
    on_branch = default_base(repository(repo / "portfolio"))
    assert (on_branch.commit, on_branch.previous, on_branch.label) == (
        second,
        False,
        f"main ({second[:7]})",
    )


def test_no_main_branch_is_a_message(tmp_path: Path) -> None:
    repo, _ = make_repo(tmp_path, branch="trunk")
    with pytest.raises(GitProblem, match="no main branch to compare with"):
        default_base(repository(repo / "portfolio"))
