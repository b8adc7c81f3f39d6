"""Reading a revision: in memory, and hostile trees refused without writing a byte.

Git stores trees whose entries no checkout should hold (`..`, `.git`, a name
with a slash); `git fsck` only warns. These tests build such trees with git's
plumbing and run `kontrakt diff` over them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import BUNDLED, git
from kontrakt.cli import app
from kontrakt.render.markdown import escape_inline
from kontrakt.revisions import MAX_TREE_ENTRIES, entry_problem, read_revision, repository

runner = CliRunner()


def blob(repo: Path, data: bytes) -> str:
    return git(repo, "hash-object", "-w", "--stdin", stdin=data)


def tree(repo: Path, entries: list[tuple[str, bytes, str]]) -> str:
    """A raw tree object with exactly these (mode, name, object) entries, unchecked."""
    raw = b"".join(
        mode.encode() + b" " + name + b"\0" + bytes.fromhex(sha) for mode, name, sha in entries
    )
    return git(repo, "hash-object", "-w", "-t", "tree", "--literally", "--stdin", stdin=raw)


def commit(repo: Path, root_tree: str, message: str = "c") -> str:
    return git(repo, "commit-tree", root_tree, "-m", message)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "work" / "repo"
    root.mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    shutil.copytree(BUNDLED, root / "portfolio")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    return root


def with_portfolio_entries(repo: Path, extra: list[tuple[str, bytes, str]]) -> str:
    """A commit whose portfolio/ tree is main's plus `extra` entries."""
    portfolio = git(repo, "rev-parse", "HEAD:portfolio")
    listing = git(repo, "cat-file", "-p", portfolio).splitlines()
    entries: list[tuple[str, bytes, str]] = []
    for line in listing:
        meta, name = line.split("\t", 1)
        mode, _kind, sha = meta.split()
        entries.append((mode.lstrip("0") if mode == "040000" else mode, name.encode(), sha))
    entries.extend(extra)
    entries.sort(key=lambda entry: entry[1] + (b"/" if entry[0] == "40000" else b""))
    new_portfolio = tree(repo, entries)
    root = tree(repo, [("40000", b"portfolio", new_portfolio)])
    return commit(repo, root)


def files_under(folder: Path) -> set[str]:
    return {path.relative_to(folder).as_posix() for path in folder.rglob("*")}


def test_a_dot_dot_entry_is_refused_and_nothing_is_written(repo: Path, tmp_path: Path) -> None:
    evil = blob(repo, b"title: Utanf\xc3\xb6r\n")
    inner = tree(repo, [("100644", b"pwned.yaml", evil)])
    head = with_portfolio_entries(repo, [("40000", b"..", inner)])
    before = files_under(tmp_path)
    result = runner.invoke(
        app, ["diff", "main", head, "-p", str(repo / "portfolio"), "-f", "markdown"]
    )
    assert result.exit_code == 0, result.output
    assert f"{head}: tree entry '..' refused: a name that points at a folder itself" in (
        result.output
    )
    assert files_under(tmp_path) == before  # not a file more anywhere under the test's folder
    assert not (repo / "pwned.yaml").exists()


@pytest.mark.parametrize(
    ("name", "why"),
    [
        (b".", "a name that points at a folder itself"),
        (b".git", "git's own folder cannot be part of a portfolio"),
        (b".GIT", "git's own folder cannot be part of a portfolio"),
        (b"initiatives/evil.yaml", "a name holding '/'"),
        (b"a\\b.yaml", "a name holding '\\'"),
    ],
)
def test_entries_no_checkout_could_hold_are_refused(repo: Path, name: bytes, why: str) -> None:
    evil = blob(repo, b"title: Ond\n")
    mode = "100644" if name.endswith(b".yaml") else "40000"
    target = evil if mode == "100644" else tree(repo, [("100644", b"x.yaml", evil)])
    head = with_portfolio_entries(repo, [(mode, name, target)])
    result = runner.invoke(
        app, ["diff", "main", head, "-p", str(repo / "portfolio"), "-f", "markdown"]
    )
    assert result.exit_code == 0, result.output
    expected = escape_inline(f"tree entry '{name.decode()}' refused: {why}")
    assert expected.startswith("tree entry '") and expected in result.output


def test_entry_names_are_judged_whole() -> None:
    assert entry_problem(b"salus-mea.yaml") is None
    assert entry_problem(b"..yaml") is None  # an odd name, but it stays in its folder
    assert entry_problem(b"a\0b") == "a name holding NUL"
    assert entry_problem(b".git.") == "git's own folder cannot be part of a portfolio"
    assert entry_problem(b"") == "a name that points at a folder itself"


def test_a_symbolic_link_is_left_out(repo: Path) -> None:
    target = blob(repo, b"/etc/passwd")
    head = with_portfolio_entries(repo, [("120000", b"lank.yaml", target)])
    result = runner.invoke(
        app, ["diff", "main", head, "-p", str(repo / "portfolio"), "-f", "markdown"]
    )
    assert "lank.yaml (a symbolic link): left out, not a regular file" in result.output
    assert "root:" not in result.output


def test_a_tree_bomb_stops_at_the_cap(repo: Path) -> None:
    leaf = tree(repo, [("100644", b"x.yaml", blob(repo, b"title: X\n"))])
    level = leaf
    for _ in range(7):  # 10**7 paths from eight small objects
        level = tree(repo, [("40000", f"d{n}".encode(), level) for n in range(10)])
    head = with_portfolio_entries(repo, [("40000", b"initiatives2", level)])
    result = runner.invoke(app, ["diff", "main", head, "-p", str(repo / "portfolio")])
    assert result.exit_code == 1
    assert result.output == (
        # The count as the portfolio's locale (sv_SE) writes it.
        f"kontrakt: {head}: the portfolio holds more than {MAX_TREE_ENTRIES:,} entries\n".replace(
            ",", "\u00a0"
        )
    )


def test_a_revision_is_read_into_memory_with_the_same_result(repo: Path) -> None:
    revision = read_revision(repository(repo / "portfolio"), git(repo, "rev-parse", "HEAD"), "x")
    on_disk = {
        path.relative_to(repo / "portfolio").as_posix(): path.read_bytes()
        for path in (repo / "portfolio").rglob("*.yaml")
    }
    assert revision.files == on_disk
    assert revision.notes == []


def test_a_name_that_is_not_utf8_is_shown_escaped(repo: Path) -> None:
    evil = blob(repo, b"title: X\n")
    head = with_portfolio_entries(repo, [("100644", b"\xff\x9b[2J.yaml", evil)])
    result = runner.invoke(
        app, ["diff", "main", head, "-p", str(repo / "portfolio"), "-f", "markdown"]
    )
    assert result.exit_code == 0, result.output
    assert "\x9b" not in result.output
    assert "portfolio/\ufffd\ufffd\\[2J.yaml:1:1: " in result.output


def test_missing_and_mistyped_objects_are_refused_by_entry(repo: Path) -> None:
    missing = "1" * 40
    a_blob = blob(repo, b"title: X\n")
    head = with_portfolio_entries(
        repo,
        [
            ("100644", b"borta.yaml", missing),
            ("40000", b"ingen-mapp", a_blob),
            ("40000", b"mapp-borta", missing),
        ],
    )
    result = runner.invoke(
        app, ["diff", "main", head, "-p", str(repo / "portfolio"), "-f", "markdown"]
    )
    assert result.exit_code == 0, result.output
    assert "internal error" not in result.output
    for line in (
        "borta.yaml: refused: it names no file that is in the repository",
        "ingen-mapp: refused: it is a blob, not a folder",
        "mapp-borta: refused: it names no file that is in the repository",
    ):
        shown = escape_inline(f"{head}: {line}")
        assert shown.startswith(f"{head}: ") and shown in result.output


def test_many_paths_to_one_large_blob_count_as_many_files(repo: Path) -> None:
    big = blob(repo, b"title: T\nnotes:\n" + b"  - anteckning\n" * 70_000)  # about 1 MiB
    folder = tree(repo, [("100644", f"f{n}.yaml".encode(), big) for n in range(10)])
    bomb = tree(repo, [("40000", f"d{n}".encode(), folder) for n in range(10)])
    head = with_portfolio_entries(repo, [("40000", b"initiatives2", bomb)])
    result = runner.invoke(app, ["diff", "main", head, "-p", str(repo / "portfolio")])
    assert (result.exit_code, result.output) == (
        1,
        f"kontrakt: {head}: the portfolio's files are larger than 64 MiB in all\n",
    )


def test_a_folder_two_revisions_share_is_listed_once_and_read_the_same(repo: Path) -> None:
    """`diff` reads both revisions through one Objects: a folder the second has
    unchanged is taken as the first listed it, and notes still name their own
    revision (a folder with a note is listed again)."""
    from kontrakt.revisions import Objects

    link = blob(repo, b"/etc/passwd")
    first = with_portfolio_entries(repo, [("120000", b"lank.yaml", link)])
    second = with_portfolio_entries(
        repo, [("120000", b"lank.yaml", link), ("100644", b"extra.yml", blob(repo, b"a: 1\n"))]
    )
    portfolio = repository(repo / "portfolio")
    shared = Objects(portfolio.top)
    read = [
        read_revision(portfolio, sha, label, shared) for sha, label in ((first, "A"), (second, "B"))
    ]
    assert shared.folders  # the unchanged folders (initiatives/, budget/, …) were kept
    alone = read_revision(portfolio, second, "B")
    assert read[1].files == alone.files
    assert (
        read[1].notes
        == alone.notes
        == ["B: lank.yaml (a symbolic link): left out, not a regular file"]
    )
    assert read[0].notes == ["A: lank.yaml (a symbolic link): left out, not a regular file"]
    assert "extra.yml" in read[1].files and "extra.yml" not in read[0].files
