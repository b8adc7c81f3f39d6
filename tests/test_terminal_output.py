"""What the terminal commands print: no line ends in spaces when piped, a shortened
title never cuts an amount or a marker, the rich diff never breaks inside a number,
and `kontrakt status` says when files could not be read.
"""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import pytest
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from typer.testing import CliRunner

from conftest import BUNDLED, FIXTURES, git, write
from kontrakt.cli import app
from kontrakt.render.console import safe_console, without_trailing_blanks
from kontrakt.render.grid import Cell, Shortened, layout

runner = CliRunner()
ENGLISH = FIXTURES / "good" / "english" / "portfolio"
NBSP = "\u00a0"
DAY = ["--as-of", "2024-02-27"]


def run(*args: str, columns: int = 80) -> str:
    result = runner.invoke(app, list(args), env={"COLUMNS": str(columns), "NO_COLOR": None})
    assert result.exit_code in (0, 1), result.output
    return result.output


def plain(text: str) -> list[str]:
    return text.replace(NBSP, " ").splitlines()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose main branch holds the bundled portfolio, and a working tree
    that changes two budget lines."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    shutil.copytree(BUNDLED, root / "portfolio")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    for name, amount in (("servicetjanster", "1234567"), ("trygghetslosning", "2345678")):
        path = root / "portfolio" / "budget" / f"{name}.yaml"
        text = re.sub(r"(?m)^amount: .*$", f"amount: {amount}", path.read_text(encoding="utf-8"))
        path.write_text(text, encoding="utf-8")
    return root


# --- B: no line ends in spaces ------------------------------------------------------

P = ["-p", str(BUNDLED)]
COMMANDS = [
    ["status", *P, *DAY],
    ["status", *P, *DAY, "--all"],
    ["status", "-p", str(ENGLISH), *DAY],
    ["budget", *P],
    ["budget", *P, "--by", "category", "--by", "initiative"],
    ["budget", *P, "--by", "initiative"],
    ["budget", *P, "--by", "phase", "--proposed"],
    ["budget", *P, "--by", "period", "--initiative", "angsgardet"],
    ["check", str(BUNDLED)],
    ["check", str(BUNDLED), "--format", "text"],
    ["meetings", *P],
]


@pytest.mark.parametrize("columns", [80, 60, 120])
@pytest.mark.parametrize("args", COMMANDS, ids=lambda args: " ".join(args[:1] + args[3:]))
def test_piped_text_has_no_trailing_spaces(args: list[str], columns: int) -> None:
    output = run(*args, columns=columns)
    assert output.strip()
    assert [line for line in output.splitlines() if line.endswith(" ")] == []


@pytest.mark.parametrize("shape", ["rich", "markdown"])
def test_piped_diff_has_no_trailing_spaces(repo: Path, shape: str) -> None:
    output = run("diff", "-p", str(repo / "portfolio"), "-f", shape)
    assert "Trygghetslösning" in output
    assert [line for line in output.splitlines() if line.endswith(" ")] == []


def test_the_status_screen_without_trailing_spaces_is_the_golden_one() -> None:
    golden = (Path(__file__).parent / "golden" / "status-2024-02-27.txt").read_text("utf-8")
    expected = "".join(line.rstrip(" ") + "\n" for line in golden.splitlines())
    assert run("status", *P, *DAY) == expected


def test_blanks_that_show_on_a_colour_terminal_are_kept() -> None:
    background = Style(bgcolor="red")
    segments = [
        Segment("a  "),
        Segment("  ", Style(bold=True)),
        Segment("\n"),
        Segment("b "),
        Segment("  ", background),
        Segment("\nc  \nd "),
    ]
    on_terminal = list(without_trailing_blanks(segments, plain=False))
    assert "".join(s.text for s in on_terminal) == "a\nb   \nc\nd "
    plain_text = list(without_trailing_blanks(segments, plain=True))
    assert "".join(s.text for s in plain_text) == "a\nb\nc\nd "


def test_the_safe_console_strips_on_a_colour_terminal_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from rich.table import Table

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")
    console = safe_console()
    console.file = io.StringIO()
    console.width = 40
    assert console.is_terminal and console.color_system is not None
    table = Table.grid(expand=True)
    table.add_column()
    table.add_column()
    table.add_row(Text("a", style="bold"), "b")
    table.add_row(Text("c", style="on red"), "")
    console.print(table)
    written = console.file.getvalue()
    assert "\x1b[" in written
    shown = [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in written.splitlines()]
    assert shown[0] == "a" + " " * 19 + "b"
    # The red background of the second row's first cell shows: it stays.
    assert shown[1] == "c" + " " * 19


# --- C: shortened titles keep their amounts and markers -----------------------------


def test_a_line_shortened_in_the_budget_keeps_its_whole_and_its_marker() -> None:
    lines = plain(run("budget", *P, "--by", "initiative"))
    assert lines[4:8] == [
        "Ängsgärdet – konkreta… *          –         0     187 500          –           –",
        "  Fra… * (av 375 000 kr)                          187 500",
        "Framtidens äldreboend… *          –         0     187 500          –           –",
        "  Fra… * (av 375 000 kr)                          187 500",
    ]
    by_category = plain(run("budget", *P))
    assert by_category[5] == "  Målti… (av 285 000 kr)                          185 000"
    wide = plain(run("budget", *P, columns=110))
    assert wide[5].startswith("  Måltider och möten, 3 piloter (av 285 000 kr)  ")


def test_every_tail_is_whole_at_any_width() -> None:
    for columns in range(40, 121, 7):
        lines = plain(run("budget", *P, "--by", "initiative", columns=columns))
        assert sum("* (av 375 000 kr)" in line for line in lines) == 2, columns
        assert sum(line.endswith("*") or " * " in line for line in lines) == 4, columns
        # Amounts right-aligned and whole, the total on one line.
        assert any(
            re.search(r"Totalt +2 107 500 +260 000 +1 400 000 +1 847 500 +647 500$", line)
            for line in lines
        )


def test_the_grid_shortens_only_the_title() -> None:
    cells = [
        [Cell("  Måltider och möten, 3 piloter", tail=" * (av 285 000 kr)"), Cell("185 000")],
        [Cell("Pilotbudget"), Cell("797 500")],
    ]

    def shown(width: int) -> list[str]:
        return [
            line.plain
            for line in layout(["Kategori", "Ram"], cells, width=width, right=[False, True])
        ]

    assert shown(40) == [
        "Kategori                             Ram",
        "────────────────────────────────────────",
        "  Måltider o… * (av 285 000 kr)  185 000",
        "Pilotbudget                      797 500",
    ]
    # Too narrow for more than a letter of the title: the column keeps the marker and
    # the line's whole, and the line grows past the width rather than cut them.
    assert shown(30)[2:] == [
        "  M… * (av 285 000 kr)  185 000",
        "Pilotbudget             797 500",
    ]
    assert shown(60)[2] == "  Måltider och möten, 3 piloter * (av 285 000 kr)  185 000"


def test_a_shortened_cell_keeps_both_ends() -> None:
    cell = Shortened(Text("First pilot evaluated"), "overdue: 2024-02-26 ", " (late)")
    assert cell.fitted(60).plain == "overdue: 2024-02-26 First pilot evaluated (late)"
    assert cell.fitted(34).plain == "overdue: 2024-02-26 First… (late)"
    assert cell.fitted(10).plain == "overdue: 2024-02-26 … (late)"
    console = Console(width=30, file=io.StringIO(), color_system=None)
    with console.capture() as captured:
        console.print(cell)
    assert captured.get() == "overdue: 2024-02-26 Fi… (late)\n"


def test_an_overdue_milestone_keeps_its_date_in_a_narrow_terminal() -> None:
    for columns in (60, 70, 80, 100):
        lines = plain(run("status", "-p", str(ENGLISH), *DAY, columns=columns))
        meals = next(line for line in lines if line[2:].startswith("Meals and meetings"))
        assert "overdue: 2024-02-26 " in meals, columns


@pytest.mark.parametrize(
    ("columns", "rows"),
    [
        (
            80,
            [
                "                          Ram  Beslutat  Föreslaget  Kvar inkl. förslag",
                "  Ordinarie budget  1 310 000         0     560 000             750 000",
                "  Pilotbudget         797 500   260 000     640 000            -102 500",
                "  Utan kategori             –         0     200 000                   –",
                "  Totalt            2 107 500   260 000   1 400 000             647 500",
            ],
        ),
        (
            60,
            [
                "                                                  Kvar inkl.",
                "                       Ram  Beslutat  Föreslaget     förslag",
                "  Ordinarie bu…  1 310 000         0     560 000     750 000",
                "  Pilotbudget      797 500   260 000     640 000    -102 500",
                "  Utan kategori          –         0     200 000           –",
                "  Totalt         2 107 500   260 000   1 400 000     647 500",
            ],
        ),
        (
            50,
            [
                "                                        Kvar inkl.",
                "                Ram Beslutat Föreslaget    förslag",
                "  Ordina… 1 310 000        0    560 000    750 000",
                "  Pilotb…   797 500  260 000    640 000   -102 500",
                "  Utan k…         –        0    200 000          –",
                "  Totalt  2 107 500  260 000  1 400 000    647 500",
            ],
        ),
    ],
)
def test_the_status_budget_never_cuts_an_amount(columns: int, rows: list[str]) -> None:
    lines = plain(run("status", *P, *DAY, columns=columns))
    start = lines.index("Budget 2024") + 1
    assert lines[start : start + len(rows)] == rows


def test_a_questions_initiative_is_not_repeated_in_its_title() -> None:
    lines = plain(run("status", *P, *DAY))
    start = lines.index("Öppna frågor (2)")
    assert lines[start + 1 : start + 4] == [
        "  Ofrivillig ensamhet statsbidrag                               väckt 2024-02-27",
        "  Salus mea trygghetslarm                                       väckt 2024-02-27",
        "    ↳ Salus mea – trygghetslarm med civilsamhället",
    ]
    english = plain(run("status", "-p", str(ENGLISH), *DAY))
    start = english.index("Open questions (1)")
    assert english[start + 1 : start + 3] == [
        "  State grant for loneliness (to Harbour City)                 raised 2024-01-30",
        "    ↳ Meals and meetings",
    ]


# --- C: the rich diff never breaks inside a number ----------------------------------


@pytest.mark.parametrize("columns", [60, 80, 100])
def test_the_rich_diff_never_breaks_or_cuts_a_number(repo: Path, columns: int) -> None:
    portfolio = str(repo / "portfolio")
    markdown = run("diff", "-p", portfolio, "-f", "markdown")
    amounts = set(re.findall(r"[-+]?\d{1,3}(?:\u00a0\d{3})*\u00a0kr", markdown))
    assert {"1\u00a0234\u00a0567\u00a0kr", "-1\u00a0548\u00a0178\u00a0kr"} <= amounts
    rich = run("diff", "-p", portfolio, "-f", "rich", columns=columns)
    assert "…" not in rich
    for amount in amounts:
        assert amount in rich, (amount, columns)
    # Paragraphs still wrap at the terminal's width, between words.
    lines = rich.splitlines()
    bullets = [line for line in lines if line.lstrip().startswith("•")]
    assert bullets and all(len(line) <= columns for line in bullets)


# --- D: status says what it could not read ------------------------------------------


@pytest.fixture
def english(tmp_path: Path) -> Path:
    target = tmp_path / "portfolio"
    shutil.copytree(ENGLISH, target)
    return target


def test_status_counts_the_files_it_could_not_read(english: Path) -> None:
    write(english, "questions/grant.yaml", "title: [unclosed\n")
    write(english, "events/workshop.yaml", "title: Workshop\nkind: workshop\ndate: 27/2\n")
    lines = run("status", "-p", str(english), *DAY).splitlines()
    assert lines[:3] == [
        "Harbour Partnership – Healthy and independent older people",
        "Status as of 2024-02-27",
        "2 files could not be read; run kontrakt check",
    ]
    start = lines.index("Upcoming events (next 60 days)")
    assert lines[start + 1] == "  1 file in events/ could not be read"
    start = lines.index("Open questions (0)")
    assert lines[start + 1] == "  1 file in questions/ could not be read"
    assert "No open questions." not in lines
    assert not any(line.startswith("  No events") for line in lines)
    document = json.loads(run("status", "-p", str(english), *DAY, "-f", "json"))
    assert document["unreadable"] == ["events/workshop.yaml", "questions/grant.yaml"]


def test_status_names_a_questions_initiative_it_could_not_read(bundled: Path) -> None:
    write(bundled, "initiatives/salus-mea.yaml", "title: [unclosed\n")
    output = run("status", "-p", str(bundled), *DAY)
    lines = output.splitlines()
    assert lines[2] == "1 fil kunde inte läsas; kör kontrakt check"
    assert "  1 fil i initiatives/ kunde inte läsas" in lines
    assert "    ↳ salus-mea" in lines


def test_a_clean_portfolio_says_nothing_of_unread_files() -> None:
    output = run("status", "-p", str(ENGLISH), *DAY)
    assert "could not be read" not in output
    assert json.loads(run("status", "-p", str(ENGLISH), *DAY, "-f", "json"))["unreadable"] == []
