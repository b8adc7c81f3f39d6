"""No printed byte drives a terminal or a CI log, and every output still parses.

Hostile text (CR, LF, tab, `::`, `##[`, `%%`, `|`, backticks, Markdown and HTML)
is put into every kind of value a portfolio holds, and control characters into
file and folder names; then every command runs in every format, under GitHub
Actions, and each output is checked for raw controls, workflow commands and
its own structure (Markdown tables, CSV rows, JSON, iCalendar, GitHub lines).
"""

from __future__ import annotations

import csv
import io
import json
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from kontrakt.cli import app
from kontrakt.render.safe import escape_controls, fold, guard_ci, one_line, to_json
from markdown_checks import assert_valid_markdown

runner = CliRunner()

RAW_CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]|\r(?!\n)"
)
GITHUB_LINE = re.compile(
    r"::(error|warning) file=[^,:]*,line=\d+,col=\d+,title=kontrakt [a-z-]+::[^\r\n]*"
)

# What a value may hold (check accepts it) and what is hostile about it.
VALUE_PIECES = st.sampled_from(
    [
        "\n", "\r\n", "\r", "\t", "  ", "::", "::error::bad", "##[warning]bad", "%%{init: {}}%%",
        "|", "`", "```", "<script>", "&amp;", "*", "_", "[", "]", "\\", "=HYPERLINK()", "-",
        "#", "1.", "\u00a0", "ö", "x", ";", ",", '"', "'",
    ]
)  # fmt: skip
# What a file name may hold besides: every control a file system allows.
NAME_PIECES = st.sampled_from(
    ["\x1b[2J", "\x1b]52;c;aGk=\x07", "\x1b]8;;http:x\x1b\\", "\r", "\n", "\x9b", "\u202e",
     "::error::", "##[error]", "x"]
)  # fmt: skip

values = st.lists(VALUE_PIECES, min_size=1, max_size=6).map(lambda parts: "x" + "".join(parts))
names = st.lists(NAME_PIECES, min_size=1, max_size=4).map("".join)


def quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes are YAML's)."""
    return json.dumps(text, ensure_ascii=False)


def hostile_portfolio(root: Path, v: list[str]) -> None:
    files = {
        "kontrakt.yaml": f"""\
name: {quoted(v[0])}
mission: {quoted(v[1])}
language: sv
organisations:
  mdu: {quoted(v[2])}
vocabularies:
  kinds:
    pilot: {quoted(v[3])}
  categories:
    pilot: {quoted(v[4])}
  event_kinds:
    verkstad: {quoted(v[5])}
  meeting_kinds:
    core-team: {quoted(v[6])}
frames:
  - category: pilot
    period: 2024
    amount: 100000
""",
        "initiatives/alfa.yaml": f"""\
title: {quoted(v[7])}
status: ongoing
kind: pilot
owner: {quoted(v[8])}
description: {quoted(v[9])}
notes: [{quoted(v[10])}]
milestones:
  - date: 2024-03-01
    title: {quoted(v[11])}
""",
        "initiatives/beta.yaml": f"title: {quoted(v[12])}\nrelated: [alfa]\n",
        "budget/rad.yaml": f"""\
title: {quoted(v[13])}
amount: 150000
category: pilot
period: 2024
initiatives: [alfa, beta]
""",
        "events/verkstad.yaml": f"""\
title: {quoted(v[14])}
kind: verkstad
date: 2024-03-05
start: "09:00"
venue: {quoted(v[15])}
city: {quoted(v[16])}
theme: {quoted(v[17])}
initiatives: [alfa, beta]
""",
        "meetings/2024-02-27-core-team.yaml": f"""\
date: 2024-02-27
kind: core-team
title: {quoted(v[18])}
venue: {quoted(v[19])}
communication: [{quoted(v[20])}]
decisions:
  - text: {quoted(v[21])}
    budget: [rad]
""",
        "news/2024-02-26-nytt.yaml": f"""\
date: 2024-02-26
title: {quoted(v[22])}
description: {quoted(v[23])}
""",
        "questions/fraga.yaml": f"""\
title: {quoted(v[24])}
points: [{quoted(v[25])}]
to: {quoted(v[26])}
raised: 2024-02-20
initiatives: [alfa]
""",
    }
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def assert_safe(text: str) -> None:
    """No raw control reaches a terminal, and no line is a workflow command."""
    found = RAW_CONTROL.search(text)
    assert found is None, f"raw control {found.group()!r} in output" if found else ""
    for line in text.splitlines():
        assert not line.lstrip().startswith("::"), line
        assert "##[" not in line, line


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code in (0, 1), result.output
    assert "internal error" not in result.output
    return result.output


def stdout(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    assert_safe(result.output)
    return result.stdout


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(v=st.lists(values, min_size=27, max_size=27))
def test_hostile_values_in_every_command_and_format(v: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        patch.setenv("GITHUB_ACTIONS", "true")
        root = Path(folder) / "p"
        hostile_portfolio(root, v)
        p = ["-p", str(root)]
        for shape in ("text", "markdown"):
            assert_safe(run("check", str(root), "-f", shape))
        problems = json.loads(stdout("check", str(root), "-f", "json"))
        assert [d["rule"] for d in problems if d["severity"] == "error"] == []
        github = run("check", str(root), "-f", "github").splitlines()
        commands = [line for line in github if line.startswith("::")]
        assert len(commands) == len(problems)
        assert all(GITHUB_LINE.fullmatch(line) for line in commands)
        assert_safe("\n".join(line for line in github if not line.startswith("::")))

        for shape in ("table", "json", "markdown", "csv"):
            for by in ("category", "initiative"):
                text = stdout("budget", *p, "--as-of", "2024-02-27", "-f", shape, "--by", by)
                _structure(shape, text)
        stdout("status", *p, "--as-of", "2024-02-27")
        json.loads(stdout("status", *p, "--as-of", "2024-02-27", "-f", "json"))
        assert_valid_markdown(stdout("report", *p, "--as-of", "2024-02-27"))
        assert_valid_markdown(stdout("agenda", "2024-02-27", *p))
        stdout("meetings", *p)
        json.loads(stdout("meetings", *p, "-f", "json"))
        _calendar(stdout("calendar", *p))


def _structure(shape: str, text: str) -> None:
    if shape == "json":
        json.loads(text)
    elif shape == "markdown":
        assert_valid_markdown(text)
    elif shape == "csv":
        rows = list(csv.reader(io.StringIO(text), delimiter=";"))
        assert len({len(row) for row in rows}) == 1
        assert len(rows) == text.count("\n")  # one line per row: no value broke one


def _calendar(text: str) -> None:
    from icalendar import Calendar

    calendar = Calendar.from_ical(text)
    events = calendar.walk("VEVENT")
    assert events
    for component in events:
        assert "SUMMARY" in component  # every event has a title
        for key in ("SUMMARY", "LOCATION"):
            if key in component:
                assert "\n" not in str(component[key])


@settings(max_examples=25, deadline=None)
@given(file_name=names, folder_name=names)
def test_hostile_file_and_folder_names(file_name: str, folder_name: str) -> None:
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        patch.setenv("GITHUB_ACTIONS", "true")
        root = Path(folder) / "p"
        hostile_portfolio(root, ["x"] * 27)
        (root / "initiatives" / f"{file_name}.yaml").write_text("title: X\n", encoding="utf-8")
        (root / folder_name).mkdir(exist_ok=True)
        (root / folder_name / "y.yaml").write_text("title: Y\n", encoding="utf-8")
        for shape in ("text", "markdown"):
            output = run("check", str(root), "-f", shape)
            assert_safe(output)
        text_lines = run("check", str(root), "-f", "text").splitlines()
        problems = json.loads(runner.invoke(app, ["check", str(root), "-f", "json"]).stdout)
        assert len(text_lines) == len(problems) + 1  # one line each, and the summary
        github = run("check", str(root), "-f", "github").splitlines()
        assert all(GITHUB_LINE.fullmatch(line) for line in github[:-1])
        assert_safe(run("status", "-p", str(root), "--as-of", "2024-02-27"))
        assert_safe(run("meetings", "-p", str(root)))


def test_the_escapes_themselves() -> None:
    assert escape_controls("a\x1b[2Jb\r\nc\rd\te\u202ef") == "a\\x1b[2Jb\r\nc\\rd\te\\u202ef"
    assert one_line("a\r\nb\tc\x9b") == "a\\r\\nb\\tc\\x9b"
    assert fold("  a\r\n\tb\x07") == "  a b\\x07"
    assert to_json(["\x1b\x85\u2028"]) == '[\n  "\\u001b\\u0085\\u2028"\n]'
    assert json.loads(to_json(["\x85"])) == ["\x85"]  # lossless
    assert guard_ci("a\n \u00a0::error::x\n##[group]y z##[x]") == (
        "a\n \u00a0\\u003a:error::x\n##\\u005bgroup]y z##\\u005bx]"
    )
    assert json.loads('["' + guard_ci("##[error]") + '"]') == ["##[error]"]


def test_the_guard_is_only_for_github_actions(
    bundled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = bundled / "initiatives/salus-mea.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("title: ", 'title: "::warning::', 1)
        .replace("\n", '"\n', 1)
        # A journal entry: not stale, so the title starts its line (no ⚠ before it).
        + "journal:\n  - date: 2024-02-27\n    text: Startat\n",
        encoding="utf-8",
    )  # fmt: skip
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    status = ["status", "-p", str(bundled), "--as-of", "2024-02-27"]
    plain = runner.invoke(app, status).output.splitlines()
    assert any(line.startswith("  ::warning::Salus") for line in plain)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    guarded = runner.invoke(app, status).output.splitlines()
    assert any(line.startswith("  \\u003a:warning::Salus") for line in guarded)
    assert not any(line.lstrip().startswith("::") for line in guarded)


def test_diff_of_hostile_changes_is_safe(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess

    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-c", "user.email=t@example.org", "-c", "user.name=T", *args],
            cwd=repo,
            check=True,
            capture_output=True,
        )

    repo = tmp_path / "repo"
    hostile_portfolio(repo / "p", ["x"] * 27)
    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-qm", "base")
    hostile = "x\r\n::error::ny\n##[warning]titel | `kod` %%{init}%%"
    hostile_portfolio(repo / "p", [hostile] * 27)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    for shape in ("markdown", "rich"):
        result = runner.invoke(app, ["diff", "-p", str(repo / "p"), "-f", shape])
        assert result.exit_code == 0, result.output
        assert_safe(result.output)
        if shape == "markdown":
            assert_valid_markdown(result.output)
            assert "x ::error::ny ##\\[warning\\]titel \\| \\`kod\\` %%{init}%%" in result.output


def test_forced_colour_under_github_actions_still_passes_the_guard(
    bundled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = bundled / "initiatives/salus-mea.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("title: ", 'title: "::error file=x::PWNED ##[warning]y" # ', 1)
        # A journal entry: not stale, so the title starts its line (no ⚠ before it).
        + "journal:\n  - date: 2024-02-27\n    text: Startat\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    for variable in ("FORCE_COLOR", "TTY_COMPATIBLE"):
        monkeypatch.setenv(variable, "1")
        for args in (
            ["status", "-p", str(bundled), "--as-of", "2024-02-27"],
            ["budget", "-p", str(bundled), "--by", "initiative"],
        ):
            # Wide enough for the whole title beside the frames' amounts.
            output = runner.invoke(app, args, env={"COLUMNS": "120"}).output
            assert_safe(output)
            assert "\\u003a:error file=x::PWNED ##\\u005bwarning]y" in output
        monkeypatch.delenv(variable)


def test_github_lines_carry_no_legacy_command(
    minimal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (minimal / "initiatives" / "alfa.yaml").write_text(
        'title: A\n"::e\\n##[group]x": 1\n', encoding="utf-8"
    )
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    lines = runner.invoke(app, ["check", str(minimal)]).output.splitlines()
    commands = [line for line in lines if line.startswith("::")]
    assert len(commands) == 1
    assert GITHUB_LINE.fullmatch(commands[0])
    assert "##[" not in commands[0]
    assert "::e%0A##\\u005bgroup]x" in commands[0]


def test_every_character_escaped_is_one_isprintable_refuses() -> None:
    """safe.py lets printable text through without searching it: which is right only
    while every character its patterns escape is one str.isprintable() refuses."""
    from kontrakt.render import safe

    patterns = [safe._CONTROL, safe._CONTROL_ONE_LINE]
    escaped = [c for c in map(chr, range(0x110000)) if any(p.search(c) for p in patterns)]
    assert len(escaped) > 2000  # C0, C1, bidi controls, separators, surrogates
    assert not [c for c in escaped if c.isprintable()]
    assert safe.escape_controls("a\x1bb") == "a\\x1bb" and safe.one_line("a\nb") == "a\\nb"
    # A lone CR is escaped, CRLF kept, with or without other controls beside them.
    assert safe.escape_controls("a\r\nb\tc") == "a\r\nb\tc"
    assert safe.escape_controls("a\rb\x07") == "a\\rb\\x07"
    assert safe.escape_controls("a\nb\x07") == "a\nb\\x07"
