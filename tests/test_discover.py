"""Stage 1, discover.py: `find_root`, and `discover` (and its git twin
`discover_listing`): which files are found, of which kind and id, which are skipped
silently (hidden, ignored, not YAML) and which are reported, at 1:1, with what.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import MINIMAL_SETTINGS, write
from kontrakt.diagnostics import Diagnostic
from kontrakt.discover import FileRef, PortfolioNotFound, discover, discover_listing, find_root

FOLDERS = "initiatives/, budget/, events/, meetings/, news/, questions/, actions/, indicators/"
SYMLINK = "symbolic links are not followed; put the file itself in the portfolio"


def _found(root: Path, refs: list[FileRef]) -> list[tuple[str, str, str]]:
    return [(ref.path.relative_to(root).as_posix(), ref.kind.name, ref.id) for ref in refs]


def _problems(root: Path, problems: list[Diagnostic]) -> list[str]:
    return sorted(
        f"{d.path.relative_to(root).as_posix()}:{d.line}:{d.column}: {d.message} [{d.rule}]"
        for d in problems
    )


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "p"
    write(root, "kontrakt.yaml", MINIMAL_SETTINGS)
    return root


def test_each_kind_folder_gives_its_kind_and_the_file_name_its_id(root: Path) -> None:
    for relative in (
        "questions/fraga.yaml",
        "news/2024/nytt.yaml",
        "meetings/m-2024-02-27.yaml",
        "initiatives/alfa.yaml",
        "initiatives/arkiv/2023/beta.yaml",
        "events/forum-3.yaml",
        "budget/rad.yaml",
    ):
        write(root, relative, "title: X\n")
    refs, problems = discover(root, [])
    assert problems == []
    assert _found(root, refs) == [  # sorted by path; kontrakt.yaml is no entity
        ("budget/rad.yaml", "budget", "rad"),
        ("events/forum-3.yaml", "event", "forum-3"),
        ("initiatives/alfa.yaml", "initiative", "alfa"),
        ("initiatives/arkiv/2023/beta.yaml", "initiative", "beta"),
        ("meetings/m-2024-02-27.yaml", "meeting", "m-2024-02-27"),
        ("news/2024/nytt.yaml", "news", "nytt"),
        ("questions/fraga.yaml", "question", "fraga"),
    ]


def test_hidden_ignored_and_non_yaml_entries_are_skipped_silently(root: Path) -> None:
    for relative in (
        "initiatives/alfa.yaml",
        "initiatives/.utkast.yaml",
        "initiatives/.gammalt/beta.yaml",
        ".github/workflows/check.yaml",
        "initiatives/README.md",
        "initiatives/bild.png",
        "anteckningar.txt",
        "utkast/gamma.yaml",
        "initiatives/arkiv/delta.yaml",
        "budget/rad.bak.yaml",
    ):
        write(root, relative, "title: X\n")
    refs, problems = discover(root, ["utkast", "initiatives/arkiv/*", "*.bak.yaml"])
    assert (_found(root, refs), problems) == ([("initiatives/alfa.yaml", "initiative", "alfa")], [])


def test_yaml_outside_a_kind_folder_or_misnamed_is_reported(root: Path) -> None:
    for relative in (
        "readme.yaml",
        "budgett/rad.yaml",
        "anteckningar/a.yaml",
        "budget/rad.yml",
        "news/Nyhet 1.yaml",
        "news/ok.yaml",
    ):
        write(root, relative, "title: X\n")
    refs, problems = discover(root, [])
    assert _found(root, refs) == [("news/ok.yaml", "news", "ok")]
    unknown = f"portfolio files live in {FOLDERS} (or list the folder under `ignore:` in "
    assert _problems(root, problems) == [
        f"anteckningar/a.yaml:1:1: unknown folder anteckningar/: {unknown}kontrakt.yaml) "
        "[unknown-folder]",
        "budget/rad.yml:1:1: rename rad.yml to rad.yaml [file-name]",
        f"budgett/rad.yaml:1:1: unknown folder budgett/: did you mean budget/? {unknown}"
        "kontrakt.yaml) [unknown-folder]",
        "news/Nyhet 1.yaml:1:1: file name: 'Nyhet 1' is not a valid id: use lowercase a-z, "
        "digits and single hyphens (å, ä, ö become a, a, o); use 'nyhet-1' [invalid-id]",
        f"readme.yaml:1:1: readme.yaml is not part of any kind; move it into one of {FOLDERS} "
        "(only kontrakt.yaml lives at the top) [unknown-folder]",
    ]


@pytest.mark.parametrize(
    ("relative", "reported", "why"),
    [
        ("initiatives/nul.yaml", "initiatives/nul.yaml", "is a name Windows reserves for a device"),
        ("budget/COM1.txt", "budget/COM1.txt", "is a name Windows reserves for a device"),
        ("events/x<y.yaml", "events/x<y.yaml", "holds '<', which Windows does not allow in a name"),
        ("news/a|b.md", "news/a|b.md", "holds '|', which Windows does not allow in a name"),
        (
            "initiatives/utkast./alfa.yaml",
            "initiatives/utkast.",
            "ends in a dot, which Windows drops",
        ),
        ("lpt¹ /alfa.yaml", "lpt¹ ", "is a name Windows reserves for a device"),
    ],
)
def test_a_name_windows_cannot_check_out_is_reported_once_whatever_the_file(
    root: Path, relative: str, reported: str, why: str
) -> None:
    write(root, relative, "title: X\n")
    refs, problems = discover(root, [])
    assert refs == []  # nor is anything inside an unportable folder read
    name = reported.rpartition("/")[2]
    assert _problems(root, problems) == [f"{reported}:1:1: '{name}' {why}; rename it [file-name]"]


def test_symbolic_links_are_reported_and_not_followed(root: Path, tmp_path: Path) -> None:
    write(root, "initiatives/alfa.yaml", "title: A\n")
    write(root, "initiatives/notes.md", "x\n")
    outside = write(tmp_path / "elsewhere", "initiatives/hemlig.yaml", "title: H\n").parent
    (root / "initiatives/kopia.yaml").symlink_to(root / "initiatives/alfa.yaml")
    (root / "initiatives/borta.yaml").symlink_to(root / "finns-inte.yaml")
    (root / "initiatives/notes-link.md").symlink_to(root / "initiatives/notes.md")
    (root / "initiatives/ute").symlink_to(outside)
    refs, problems = discover(root, [])
    assert _found(root, refs) == [("initiatives/alfa.yaml", "initiative", "alfa")]
    assert _problems(root, problems) == [  # a link to a file that is not YAML: skipped
        f"initiatives/borta.yaml:1:1: {SYMLINK} [symlink]",
        f"initiatives/kopia.yaml:1:1: {SYMLINK} [symlink]",
        f"initiatives/ute:1:1: {SYMLINK} [symlink]",
    ]


@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="a file named beta.YAML is silently skipped as 'not YAML' (the suffix test is "
    "case-sensitive), so on a case-insensitive disk an entity vanishes unchecked",
)
def test_a_yaml_file_with_an_upper_case_suffix_is_not_skipped_silently(root: Path) -> None:
    write(root, "initiatives/beta.YAML", "title: B\n")
    _refs, problems = discover(root, [])
    assert [d.path.relative_to(root).as_posix() for d in problems] == ["initiatives/beta.YAML"]


def test_a_git_listing_is_classified_as_the_folder_walk_is(root: Path) -> None:
    listing = [
        "kontrakt.yaml",
        "initiatives/alfa.yaml",
        "initiatives/.utkast.yaml",
        ".github/ci.yaml",
        "utkast/gamma.yaml",
        "initiatives/README.md",
        "budget/rad.yml",
        "budgett/rad.yaml",
    ]
    for relative in listing:
        write(root, relative, "title: X\n")
    walked = discover(root, ["utkast"])
    listed = discover_listing(root, listing, ["utkast"])
    assert (
        _found(root, listed[0])
        == _found(root, walked[0])
        == [("initiatives/alfa.yaml", "initiative", "alfa")]
    )
    assert _problems(root, listed[1]) == _problems(root, walked[1])
    assert [d.rule for d in listed[1]] == ["file-name", "unknown-folder"]


def test_find_root_takes_the_folder_or_its_settings_file(root: Path) -> None:
    assert find_root(root, Path("/")) == root
    assert find_root(root / "kontrakt.yaml", Path("/")) == root


def test_find_root_looks_upward_then_in_dot_portfolio(root: Path, tmp_path: Path) -> None:
    inside = root / "initiatives" / "arkiv"
    inside.mkdir(parents=True)
    assert find_root(None, root) == Path()  # the working directory itself, shown as "."
    assert find_root(None, inside) == root  # above it: the full path
    write(tmp_path / "portfolio", "kontrakt.yaml", MINIMAL_SETTINGS)
    assert find_root(None, tmp_path) == Path("portfolio")  # tmp_path/p is not looked into


def test_find_root_says_where_it_looked(root: Path, tmp_path: Path) -> None:
    with pytest.raises(PortfolioNotFound) as raised:
        find_root(tmp_path / "saknas", tmp_path)
    assert str(raised.value) == f"{tmp_path / 'saknas'}: no such file or folder"
    (root / "initiatives").mkdir()
    with pytest.raises(PortfolioNotFound) as raised:
        find_root(root / "initiatives", tmp_path)  # exists, but holds no kontrakt.yaml
    assert str(raised.value) == (
        f"{root / 'initiatives'} is not a portfolio: it has no kontrakt.yaml "
        "(see docs/format.md for how to start one)"
    )
    with pytest.raises(PortfolioNotFound) as raised:
        find_root(None, tmp_path)
    assert str(raised.value) == (
        f"no kontrakt.yaml in {tmp_path} or any folder above it, nor in ./portfolio; "
        "pass the portfolio's folder, or set KONTRAKT_PORTFOLIO"
    )
