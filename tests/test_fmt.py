"""`kontrakt fmt`: one order and style, comments and values kept, idempotent, atomic."""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import BUNDLED, write
from kontrakt import workers
from kontrakt.cli import app
from kontrakt.fmt import format_text, model_for, run
from kontrakt.i18n import speaking
from kontrakt.models import Event, Initiative
from kontrakt.yamlload import parse

runner = CliRunner()

MESSY = """\
# Toppkommentar: behålls (en blank rad skiljer den från nycklarna)

kind: pilot   # typ
milestones:
- title: Start
  date: 2024-03-01
  done: false
title: 'Måltider och möten'

# om status
status: ongoing
egen-nyckel: kvar sist
notes: [a, "b"]
description: >-
  Lång text
  på två rader
"""

TIDY = """\
# Toppkommentar: behålls (en blank rad skiljer den från nycklarna)

title: 'Måltider och möten'

# om status
status: ongoing
kind: pilot   # typ
description: >-
  Lång text
  på två rader
notes: [a, "b"]
milestones:
  - date: 2024-03-01
    title: Start
    done: false
egen-nyckel: kvar sist
"""


def test_orders_keys_by_the_model_and_keeps_everything_else() -> None:
    assert format_text(MESSY, Initiative) == TIDY
    assert format_text(TIDY, Initiative) == TIDY
    assert parse(TIDY).data == parse(MESSY).data


def test_the_bundled_portfolio_is_formatted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BUNDLED.parent)
    result = runner.invoke(app, ["fmt", "--check"])
    assert (result.exit_code, result.output) == (0, "35 files, 0 would change, 0 not formatted\n")


def test_check_lists_and_fmt_writes_only_what_changes(
    bundled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(bundled)
    write(bundled, "initiatives/ny.yaml", "status: idea\ntitle: Ny\n")
    untouched = (bundled / "initiatives/salus-mea.yaml").stat().st_mtime_ns
    result = runner.invoke(app, ["fmt", "--check"])
    assert (result.exit_code, result.output) == (
        1,
        "would reformat initiatives/ny.yaml\n36 files, 1 would change, 0 not formatted\n",
    )
    assert (bundled / "initiatives/ny.yaml").read_text(encoding="utf-8") == (
        "status: idea\ntitle: Ny\n"
    )
    result = runner.invoke(app, ["fmt"])
    assert (result.exit_code, result.output) == (
        0,
        "reformatted initiatives/ny.yaml\n36 files, 1 changed, 0 not formatted\n",
    )
    assert (bundled / "initiatives/ny.yaml").read_text(encoding="utf-8") == (
        "title: Ny\nstatus: idea\n"
    )
    assert (bundled / "initiatives/salus-mea.yaml").stat().st_mtime_ns == untouched
    assert not [p for p in (bundled / "initiatives").iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("title: !!python/object/apply:os.system ['true']\n", "yaml-tag"),
        ("title: [\n", "yaml-syntax"),
        ("a: &a [*a]\n", "yaml-alias"),
        ("- a\n", "not-a-mapping"),
    ],
)
def test_files_the_safe_loader_refuses_are_left_alone(
    minimal: Path, text: str, rule: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(minimal)
    path = write(minimal, "initiatives/farlig.yaml", text)
    result = runner.invoke(app, ["fmt", "initiatives"])
    assert result.exit_code == 1
    assert f"[{rule}]" in result.output
    assert path.read_text(encoding="utf-8") == text


def test_fmt_of_a_folder_and_of_files(minimal: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(minimal)
    write(minimal, "events/e.yaml", "kind: oppen-verkstad\ntitle: E\n")
    result = runner.invoke(app, ["fmt", "events/e.yaml", "initiatives"])
    assert result.output == "reformatted events/e.yaml\n2 files, 1 changed, 0 not formatted\n"
    assert runner.invoke(app, ["fmt", "nope.yaml"]).exit_code == 2


def test_fmt_lists_files_in_path_order_and_walks_a_folder_named_like_a_file(
    minimal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(minimal)
    write(minimal, "events/b.yaml", "kind: oppen-verkstad\ntitle: B\n")
    write(minimal, "events/a.yaml/c.yaml", "kind: oppen-verkstad\ntitle: C\n")
    write(minimal, "events/a.yml", "kind: oppen-verkstad\ntitle: A\n")  # not .yaml
    result = runner.invoke(app, ["fmt", "--check", "events"])
    assert (result.exit_code, result.output) == (
        1,
        "would reformat events/a.yaml/c.yaml\nwould reformat events/b.yaml\n"
        "2 files, 2 would change, 0 not formatted\n",
    )


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each text libyaml's parser is started on, by the data's parse or the layout's."""
    import kontrakt.layout

    made: list[str] = []
    real = kontrakt.layout.CParser

    def counted(text: str) -> object:
        made.append(text)
        return real(text)

    monkeypatch.setattr(kontrakt.layout, "CParser", counted)
    monkeypatch.setattr("kontrakt.yamlload.CParser", counted)
    return made


def test_fmt_parses_each_file_once(
    minimal: Path, monkeypatch: pytest.MonkeyPatch, parsed: list[str]
) -> None:
    """The data and the layout come from one run of the parser; a file with CR
    line breaks (laid out with LF ones) is the one that is parsed twice."""
    monkeypatch.chdir(minimal)
    lf = write(minimal, "events/lf.yaml", "kind: oppen-verkstad\ntitle: LF\n")
    crlf = write(minimal, "events/crlf.yaml", "kind: oppen-verkstad\r\ntitle: CRLF\r\n")
    result = runner.invoke(app, ["fmt", "events"])
    assert (result.exit_code, result.output) == (
        0,
        "reformatted events/crlf.yaml\nreformatted events/lf.yaml\n"
        "2 files, 2 changed, 0 not formatted\n",
    )
    assert crlf.read_bytes() == b"title: CRLF\r\nkind: oppen-verkstad\r\n"
    # Each file once as read; the CRLF one once more, with LF, for its layout; each
    # result twice, for its comments and its data (both files changed). Not counted:
    # kontrakt.yaml, read for the portfolio's settings.
    assert Counter(text for text in parsed if "LF" in text) == {
        "kind: oppen-verkstad\ntitle: LF\n": 1,
        "kind: oppen-verkstad\r\ntitle: CRLF\r\n": 1,
        "kind: oppen-verkstad\ntitle: CRLF\n": 1,
        "title: LF\nkind: oppen-verkstad\n": 2,
        "title: CRLF\nkind: oppen-verkstad\n": 1,
        "title: CRLF\r\nkind: oppen-verkstad\r\n": 1,
    }
    parsed.clear()
    assert runner.invoke(app, ["fmt", "--check", "events"]).exit_code == 0
    as_read = [path.read_bytes().decode() for path in (lf, crlf)]
    laid_out = "title: CRLF\nkind: oppen-verkstad\n"
    assert sorted(text for text in parsed if "LF" in text) == sorted([*as_read, laid_out])


@pytest.mark.skipif(not workers._can_fork(), reason="workers fork, on Linux only")
def test_fmt_in_worker_processes_finds_and_writes_what_one_process_does(
    bundled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large portfolio's files are formatted by processes (kontrakt/workers.py):
    the same problems in the portfolio's language, the same files written, in the
    same order, as in one process."""
    for number in range(40):  # the bundled 35 files and these: several runs of files
        write(bundled, f"events/e{number:02}.yaml", f"kind: oppen-verkstad\ntitle: E{number}\n")
    write(bundled, "events/trasig.yaml", "title: [\n")
    write(bundled, "events/lista.yaml", "- a\n")
    write(bundled, "events/crlf.yaml", "kind: oppen-verkstad\r\ntitle: CRLF\r\n")
    apart = tmp_path / "apart"
    shutil.copytree(bundled, apart)
    with speaking("sv"):
        alone = run([], bundled, check_only=False, workers=1)
        together = run([], apart, check_only=False, workers=2)
    assert (together.files, together.check_only) == (alone.files, alone.check_only) == (78, False)
    assert [o.path.relative_to(apart) for o in together.outcomes] == [
        o.path.relative_to(bundled) for o in alone.outcomes
    ]
    assert len(alone.outcomes) == 41 and alone.unwritten == 0
    shown = [(d.path.relative_to(apart), d.line, d.rule, d.message) for d in together.problems]
    assert shown == [
        (d.path.relative_to(bundled), d.line, d.rule, d.message) for d in alone.problems
    ]
    assert [(str(path), rule) for path, _line, rule, _message in shown] == [
        ("events/lista.yaml", "not-a-mapping"),
        ("events/trasig.yaml", "yaml-syntax"),
    ]
    assert shown[0][3] == "bara en mappning (rader med nyckel: värde) kan formateras"
    for path in sorted(bundled.rglob("*.yaml")):
        assert (apart / path.relative_to(bundled)).read_bytes() == path.read_bytes()


@pytest.mark.parametrize("jobs", ["0", "9", "två"])
def test_fmt_jobs_takes_a_whole_number_and_changes_nothing_else(
    bundled: Path, monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:
    monkeypatch.chdir(bundled)
    write(bundled, "initiatives/ny.yaml", "status: idea\ntitle: Ny\n")
    refused = runner.invoke(app, ["fmt", "--jobs", jobs])
    assert (refused.exit_code, refused.output) == (
        2,
        f"kontrakt: --jobs takes a whole number from 1 to 8, not {jobs}\n",
    )
    assert (bundled / "initiatives/ny.yaml").read_text(encoding="utf-8") == (
        "status: idea\ntitle: Ny\n"
    )
    outputs = {runner.invoke(app, ["fmt", "--check", "-j", n]).output for n in ("1", "2")}
    assert outputs == {
        "would reformat initiatives/ny.yaml\n36 files, 1 would change, 0 not formatted\n"
    }


def test_fmt_stops_reading_a_deep_file_where_check_does(
    minimal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The parser's own limits stop libyaml early: fmt takes the events as the
    parser needs them, not all of a file first (150 000 open brackets took
    minutes that way)."""
    import kontrakt.fmt

    taken: list[object] = []
    real = kontrakt.fmt.events

    def counted(text: str) -> Iterator[object]:
        for event in real(text):
            taken.append(event)
            yield event

    monkeypatch.setattr(kontrakt.fmt, "events", counted)
    monkeypatch.chdir(minimal)
    write(minimal, "events/djup.yaml", "kind: oppen-verkstad\ntitle: " + "[" * 5000 + "]" * 5000)
    result = runner.invoke(app, ["fmt", "--check", "events"])
    assert (result.exit_code, result.output.splitlines()[0]) == (
        1,
        "events/djup.yaml:2:39: error: nested deeper than 32 levels; portfolio files "
        "are shallow, so flatten this structure [yaml-depth]",
    )
    assert len(taken) < 50


def test_fmt_parses_a_long_file_twice_not_holding_all_its_events(
    minimal: Path, monkeypatch: pytest.MonkeyPatch, parsed: list[str]
) -> None:
    """Past 64 KiB the data and the layout each parse the text (the events are
    not all held beside them); below it, one parse serves both."""
    monkeypatch.chdir(minimal)
    notes = "".join(f"  - anteckning {number}\n" for number in range(3500))
    long = write(minimal, "initiatives/lang.yaml", f"title: Lång\nstatus: idea\nnotes:\n{notes}")
    short = write(minimal, "initiatives/kort.yaml", "title: Kort\nstatus: idea\n")
    assert len(long.read_text(encoding="utf-8")) > 1 << 16
    result = runner.invoke(app, ["fmt", "--check", "initiatives"])
    assert (result.exit_code, result.output) == (0, "3 files, 0 would change, 0 not formatted\n")
    assert parsed.count(long.read_text(encoding="utf-8")) == 2
    assert parsed.count(short.read_text(encoding="utf-8")) == 1


def test_fmt_reports_a_link_to_a_folder_named_like_a_file(
    minimal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A link is refused as check refuses it, also one to a folder."""
    outside = tmp_path / "utanför"
    write(outside, "f.yaml", "kind: oppen-verkstad\ntitle: F\n")
    (minimal / "events").mkdir()
    (minimal / "events" / "länk.yaml").symlink_to(outside, target_is_directory=True)
    (minimal / "events" / "mapp").symlink_to(outside, target_is_directory=True)
    monkeypatch.chdir(minimal)
    result = runner.invoke(app, ["fmt", "--check", "events"])
    assert (result.exit_code, result.output.splitlines()) == (
        1,
        [
            "events/länk.yaml:1:1: error: symbolic links are not followed; put the file "
            "itself in the portfolio [symlink]",
            "1 files, 0 would change, 1 not formatted",
        ],
    )


def test_fmt_follows_the_portfolios_ignores_and_size_limit(
    minimal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What `check` skips, fmt leaves alone; what check refuses as too big, so does fmt."""
    monkeypatch.chdir(minimal)
    settings = minimal / "kontrakt.yaml"
    settings.write_text(
        settings.read_text(encoding="utf-8")
        + "ignore: [initiatives/utkast/*]\nlimits:\n  max_file_size: 200\n",
        encoding="utf-8",
    )
    draft = write(minimal, "initiatives/utkast/x.yaml", "status: idea\ntitle: X\n")
    big = write(minimal, "initiatives/stor.yaml", "status: idea\ntitle: Stor\nnotes:\n")
    big.write_text(big.read_text(encoding="utf-8") + "  - anteckning\n" * 20, encoding="utf-8")
    for args in (["fmt"], ["fmt", "initiatives/stor.yaml"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 1
        assert result.output.splitlines()[-1].endswith("0 changed, 1 not formatted")
        assert result.output.splitlines()[:-1] == [
            "initiatives/stor.yaml:1:1: error: file is larger than 200 bytes; portfolio files "
            "are small, so split it (or raise limits.max_file_size in kontrakt.yaml) "
            "[file-too-large]"
        ]
    assert draft.read_text(encoding="utf-8") == "status: idea\ntitle: X\n"


def test_a_tab_after_a_value_is_formatted_as_check_reads_it(
    minimal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """check accepts a tab after a value, and so does fmt, which reads the file
    with the same parser (ruamel's round-trip parser, which fmt once used, did not)."""
    monkeypatch.chdir(minimal)
    path = write(minimal, "initiatives/tabb.yaml", "status: idea\t\ntitle: Tabb\n")
    result = runner.invoke(app, ["fmt", "initiatives"])
    assert (result.exit_code, result.output.splitlines()) == (
        0,
        ["reformatted initiatives/tabb.yaml", "2 files, 1 changed, 0 not formatted"],
    )
    assert path.read_text(encoding="utf-8") == "title: Tabb\nstatus: idea\t\n"


def test_fmt_never_writes_a_file_whose_values_would_change(
    minimal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(minimal)
    monkeypatch.setattr("kontrakt.fmt.format_text", lambda *given: "title: Annat\n")
    before = (minimal / "initiatives/alfa.yaml").read_text(encoding="utf-8")
    result = runner.invoke(app, ["fmt", "initiatives/alfa.yaml"])
    assert (result.exit_code, result.output.splitlines()[0]) == (
        1,
        "initiatives/alfa.yaml:1:1: error: fmt would change this file's values; left alone [fmt]",
    )
    assert (minimal / "initiatives/alfa.yaml").read_text(encoding="utf-8") == before


def test_fmt_of_a_folder_given_through_a_hidden_or_parent_path(
    minimal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hidden parts of the path given do not hide the files below it."""
    hidden = minimal.parent / ".arbete" / "mini"
    hidden.parent.mkdir()
    minimal.rename(hidden)
    write(hidden, "events/e.yaml", "kind: oppen-verkstad\ntitle: E\n")
    write(hidden, "events/.dold/d.yaml", "kind: oppen-verkstad\ntitle: D\n")
    monkeypatch.chdir(hidden / "initiatives")
    result = runner.invoke(app, ["fmt", "--check", "../events"])
    assert (result.exit_code, result.output) == (
        1,
        "would reformat ../events/e.yaml\n1 files, 1 would change, 0 not formatted\n",
    )


def test_a_file_that_cannot_be_written_is_reported_and_the_rest_go_on(
    minimal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kontrakt.fmt

    monkeypatch.chdir(minimal)
    write(minimal, "events/a.yaml", "kind: oppen-verkstad\ntitle: A\n")
    write(minimal, "events/b.yaml", "kind: oppen-verkstad\ntitle: B\n")
    real = kontrakt.fmt.write_formatted

    def full_disk(item: kontrakt.fmt.Formatted, portfolio: Path | None = None) -> None:
        if item.path.name == "a.yaml":
            raise OSError(28, "No space left on device")
        real(item, portfolio)

    monkeypatch.setattr(kontrakt.fmt, "write_formatted", full_disk)
    result = runner.invoke(app, ["fmt", "events"])
    assert (result.exit_code, result.output.splitlines()) == (
        1,
        [
            "kontrakt: cannot write events/a.yaml: No space left on device",
            "reformatted events/b.yaml",
            "2 files, 1 changed, 1 not formatted",
        ],
    )


# --- properties -----------------------------------------------------------------------

SCALARS = st.one_of(
    st.sampled_from(["ja", "yes", "08:30", "2024-02-27", "Måltider – tre piloter", "a: b"]),
    st.integers(min_value=0, max_value=10**9),
    st.text(alphabet="abcåäö XYZ-?!,.", min_size=1, max_size=20).filter(str.strip),
)
QUOTES = st.sampled_from(["plain", "single", "double"])
EVENT_KEYS = list(Event.model_fields)


def _scalar(value: object, quote: str) -> str:
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if quote == "double" or (quote == "plain" and not text.replace(" ", "").isalnum()):
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if quote == "single":
        return "'" + text.replace("'", "''") + "'"
    return text


@st.composite
def yaml_files(draw: st.DrawFn) -> str:
    keys = draw(
        st.lists(
            st.sampled_from([*EVENT_KEYS, "extra", "annan"]), unique=True, min_size=1, max_size=8
        )
    )
    lines: list[str] = []
    if draw(st.booleans()):
        lines.append("# en kommentar överst")
    for key in keys:
        if draw(st.booleans()):
            lines.append(f"# om {key}")
        if draw(st.integers(0, 3)) == 0:
            items = draw(st.lists(SCALARS, min_size=1, max_size=3))
            lines.append(f"{key}:")
            lines += [f"  - {_scalar(item, draw(QUOTES))}" for item in items]
        else:
            value = _scalar(draw(SCALARS), draw(QUOTES))
            comment = "  # efter" if draw(st.booleans()) else ""
            lines.append(f"{key}: {value}{comment}")
        if draw(st.booleans()):
            lines.append("")
    return "\n".join(lines) + "\n"


@settings(max_examples=200, deadline=None)
@given(yaml_files())
def test_fmt_never_changes_a_value_and_is_idempotent(text: str) -> None:
    once = format_text(text, Event)
    assert parse(once).data == parse(text).data
    assert format_text(once, Event) == once
    for line in text.splitlines():
        if line.lstrip().startswith("#"):
            assert line.strip() in once


def _shuffled(text: str) -> str:
    """The same document with its top-level keys in reverse order (ruamel round trip)."""
    from io import StringIO

    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    data = yaml.load(text)
    for key in reversed(list(data)):
        data.move_to_end(key)
    buffer = StringIO()
    yaml.dump(data, buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("path", sorted(BUNDLED.rglob("*.yaml")), ids=lambda p: p.name)
def test_fmt_puts_every_bundled_file_back_in_order(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    shuffled = _shuffled(text)
    once = format_text(shuffled, model_for(path))
    assert parse(once).data == parse(text).data
    assert list(parse(once).data) == list(parse(text).data)
    assert format_text(once, model_for(path)) == once
