"""Values at their edges: whatever `check` accepts works in every command.

- Text written over several lines (a folded `>` or literal `|` block, ending in a
  newline), with CR/LF, tabs, runs of spaces or at great length, in every text
  field of every kind, through every command and output format. The calendar
  parses back, with its one-line properties on one line and no raw control
  characters.
- Web addresses have a type (`Url`): `check` refuses a bad one at its line.
- A locale Babel cannot format with is refused by `check`, not a crash later.
- 0001-01-01 and 9999-12-31 in every date field and as `--as-of` or the agenda's
  date: output or a clear error, never an internal error; the calendar gives an
  all-day entry on 9999-12-31 a DURATION (it has no exclusive DTEND).
- Two meetings of different kinds on one date: `agenda` asks for `--kind`.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from typer.testing import CliRunner

from conftest import MINIMAL_SETTINGS, check, write
from kontrakt.cli import app
from kontrakt.load import load_portfolio
from kontrakt.models.common import fold_line, place_of
from kontrakt.portfolio import Portfolio
from kontrakt.render.calendar import export_calendar
from kontrakt.schema import schema_for
from kontrakt.views.agenda import AmbiguousMeeting, UnknownMeetingKind, agenda, next_meeting
from kontrakt.views.dates import day_after, shift
from kontrakt.views.snapshot import snapshot

runner = CliRunner()
STAMP = datetime(2024, 2, 1, 12, 0, tzinfo=UTC)
ONE_LINE = ("SUMMARY", "LOCATION", "CATEGORIES", "CONTACT")
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _q(value: str) -> str:
    """`value` as a YAML double-quoted scalar (JSON's escapes are YAML's)."""
    return json.dumps(value, ensure_ascii=False)


def _load(root: Path) -> Portfolio:
    result = load_portfolio(root)
    errors = [d for d in result.diagnostics if d.severity.value == "error"]
    assert result.portfolio is not None and not errors, [d.message for d in errors]
    return result.portfolio


def _run(root: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "-p", str(root)])
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        args,
        result.exception,
    )
    assert "internal error" not in result.output
    # The bytes: Click's `stdout` turns the calendar's CRLF line ends into LF.
    return result.exit_code, result.stdout_bytes.decode("utf-8"), result.stderr


def _calendar(text: str) -> Calendar:
    """The export parsed back, after checking it has no raw control character."""
    assert CONTROL.search(text.replace("\r\n", "")) is None
    return Calendar.from_ical(text)


def _assert_one_line(calendar: Calendar) -> None:
    assert "\n" not in str(calendar["X-WR-CALNAME"])
    for entry in calendar.walk("VEVENT"):
        for name in ONE_LINE:
            if name == "CATEGORIES":
                values = [str(v) for v in entry["CATEGORIES"].cats]
            elif name in entry:
                values = [str(entry[name])]
            else:
                continue
            for value in values:
                assert value == fold_line(value), (name, value)


# --- text in every field ----------------------------------------------------------


def everything(root: Path, value: str) -> Path:
    """A portfolio with `value` in every text field of every kind (labels too)."""
    v = _q(value)
    write(
        root,
        "kontrakt.yaml",
        f"""name: {v}
mission: {v}
description: {v}
organisations:
  mdu: {v}
vocabularies:
  statuses:
    ongoing: {v}
  kinds:
    pilot: {v}
    research: {_q(value + "r")}
    education: {_q(value + "e")}
  categories:
    ordinarie: {v}
  purposes:
    konsult: {v}
  phases:
    pagaende: {v}
  event_kinds:
    oppen-verkstad: {v}
  meeting_kinds:
    core-team: {v}
  relations:
    rel: {v}
frames:
  - category: ordinarie
    period: 2024
    amount: 1000
    note: {v}
""",
    )
    write(
        root,
        "initiatives/alfa.yaml",
        f"""title: {v}
status: ongoing
kind: pilot
description: {v}
owner: {v}
contact: {v}
organisations: [mdu]
themes: [{v}]
notes: [{v}]
related:
  - initiative: beta
    type: rel
    note: {v}
milestones:
  - date: 2024-05-01
    title: {v}
history:
  - date: 2024-01-01
    status: ongoing
    note: {v}
""",
    )
    write(
        root, "initiatives/beta.yaml", f"title: {_q(value + 'b')}\nkind: research\nnotes: [{v}]\n"
    )
    write(root, "initiatives/gamma.yaml", f"title: {_q(value + 'g')}\nkind: education\n")
    write(
        root,
        "budget/rad.yaml",
        f"""title: {v}
amount: 500
category: ordinarie
purpose: konsult
period: 2024
phase: pagaende
decision: decided
decided_on: 2024-02-27
initiatives: [alfa, beta]
parts:
  - amount: 100
    purpose: konsult
    note: {v}
note: {v}
""",
    )
    write(
        root,
        "events/heldag.yaml",
        f"""title: {v}
kind: oppen-verkstad
date: 2024-03-01
end_date: 2024-03-02
venue: {v}
city: {v}
theme: {v}
description: {v}
series:
  name: {v}
  number: 1
  count: 2
initiatives: [alfa]
contact: {v}
url: https://example.se/forum
""",
    )
    write(
        root,
        "events/morgon.yaml",
        f"title: {v}\nkind: oppen-verkstad\ndate: 2024-03-05\nstart: 08:30\nend: 12:00\n"
        f"venue: {v}\nseries:\n  name: {v}\n  number: 2\n  count: 2\n",
    )
    write(
        root,
        "meetings/2024-02-27-core-team.yaml",
        f"""date: 2024-02-27
kind: core-team
title: {v}
venue: {v}
city: {v}
communication: [{v}]
decisions:
  - text: {v}
    initiatives: [alfa]
    budget: [rad]
notes: [{v}]
""",
    )
    write(root, "meetings/2024-01-30-core-team.yaml", "date: 2024-01-30\nkind: core-team\n")
    write(
        root,
        "news/nytt.yaml",
        f"date: 2024-02-20\ntitle: {v}\ndescription: {v}\ninitiatives: [alfa]\nevents: [heldag]\n",
    )
    write(
        root,
        "questions/fraga.yaml",
        f"title: {v}\npoints: [{v}]\nto: {v}\ninitiatives: [alfa]\nraised: 2024-02-01\n"
        f"answer: {v}\nanswered: 2024-02-25\n",
    )
    write(root, "questions/oppen.yaml", f"title: {_q(value + 'q')}\nto: {v}\nraised: 2024-02-01\n")
    return root


VALUES = {
    "folded-block": "Välmående och självständiga äldre\n",  # what `>` ending in a newline gives
    "literal-block": "Rad ett\nrad två\n",  # what `|` gives
    "crlf": "före\r\nefter",
    "cr": "före\refter",
    "tab": "före\tefter",
    "spaces": "   före    efter   ",
    "leading-newline": "\nefter",
    "long": "lång " * 2000,
    "markup": "a | b # *c* [d](e) <f> `g` {{ h }} :: i",
}

COMMANDS = [
    ("status", "--as-of", "2024-02-27"),
    ("status", "--as-of", "2024-02-27", "--all", "--format", "json"),
    ("budget",),
    ("budget", "--format", "markdown", "--by", "category", "--by", "initiative"),
    ("budget", "--format", "csv", "--by", "phase", "--by", "purpose"),
    ("budget", "--format", "json", "--by", "status", "--by", "kind"),
    ("report", "--as-of", "2024-02-27"),
    ("agenda", "2024-02-27"),
    ("agenda", "2024-03-26"),
    ("meetings",),
    ("meetings", "--format", "json"),
    ("calendar",),
]


@pytest.mark.parametrize("value", VALUES.values(), ids=VALUES.keys())
def test_any_text_check_accepts_works_in_every_command(tmp_path: Path, value: str) -> None:
    root = everything(tmp_path / "p", value)
    result = runner.invoke(app, ["check", str(root)])
    assert result.exit_code == 0, result.output
    assert json.loads(runner.invoke(app, ["check", str(root), "--format", "json"]).stdout) == []
    outputs = {}
    for command in COMMANDS:
        code, out, err = _run(root, *command)
        assert code == 0, (command, err)
        outputs[command] = out
    calendar = _calendar(outputs[("calendar",)])
    _assert_one_line(calendar)
    assert len(calendar.walk("VEVENT")) == 4
    entries = {str(e["UID"]).split("@")[0]: e for e in calendar.walk("VEVENT")}
    assert str(entries["event-heldag"]["SUMMARY"]) == fold_line(value)
    assert str(entries["event-heldag"]["URL"]) == "https://example.se/forum"
    meetings = outputs[("meetings",)].splitlines()  # date, heading and path on one line
    assert len(meetings) == 2
    assert all(line.startswith("2024-") and line.endswith(".yaml") for line in meetings)


@pytest.mark.parametrize("block", [">", "|", ">+", "|-"])
def test_name_and_mission_as_yaml_blocks_make_a_calendar(minimal: Path, block: str) -> None:
    write(
        minimal,
        "kontrakt.yaml",
        MINIMAL_SETTINGS.replace(
            "name: Test\nmission: Testa allt\n",
            f"name: {block}\n  Samhällskontraktet\n  Mälardalen\n"
            f"mission: {block}\n  Välmående och\n  självständiga äldre\n\n",
        ),
    )
    write(minimal, "meetings/m.yaml", "date: 2024-02-27\nkind: core-team\ntitle: |\n  Möte\n")
    write(minimal, "events/e.yaml", "title: E\nkind: oppen-verkstad\ndate: 2024-03-15\n")
    code, out, err = _run(minimal, "calendar")
    assert (code, err) == (0, "")
    calendar = _calendar(out)
    _assert_one_line(calendar)
    assert str(calendar["X-WR-CALNAME"]) == (
        "Samhällskontraktet Mälardalen: Välmående och självständiga äldre"
    )
    meeting = next(e for e in calendar.walk("VEVENT") if str(e["UID"]).startswith("meeting-"))
    assert str(meeting["SUMMARY"]) == "Möte: Välmående och självständiga äldre"


def test_description_keeps_its_line_breaks_and_loses_its_controls(minimal: Path) -> None:
    write(
        minimal,
        "events/e.yaml",
        'title: "Öppen\\tverkstad\\n"\nkind: oppen-verkstad\ndate: 2024-03-15\n'
        'venue: "Elite\\r\\nStadshotell\\n"\ncity: Eskilstuna\ntheme: Tema\n'
        "description: |\n  Rad ett\n  \trad två\n\n",
    )
    calendar = _calendar(export_calendar(_load(minimal), STAMP).text)
    (entry,) = calendar.walk("VEVENT")
    assert str(entry["SUMMARY"]) == "Öppen verkstad"
    assert str(entry["LOCATION"]) == "Elite Stadshotell, Eskilstuna"
    assert str(entry["DESCRIPTION"]) == "Tema\n\nRad ett\n rad två"


# Lines that meet a fold where a character takes two, three or four octets, or
# where a backslash escape would be split from what it escapes.
FOLD_EDGES = [
    "a" * 73,
    "a" * 74,
    "a" * 75,
    "a" * 200,
    "å" * 40,
    "a" + "å" * 40,
    "a" * 72 + "€" + "b" * 80,
    "a" * 73 + "𝄞" + "b" * 80,
    "a" * 71 + ", " + "b" * 80,
    "a" * 72 + "; ; ; " + "b" * 80,
    "Öppen verkstad – " * 12,
    # An escaped backslash or comma where SUMMARY, CONTACT or DESCRIPTION folds.
    *("a" * length + "\\" + "b" * 80 for length in range(60, 68)),
    *("a" * length + "," + "b" * 80 for length in range(60, 68)),
]


def _calendar_of_one_event(root: Path, event: str) -> tuple[str, Calendar]:
    """The calendar of the portfolio at `root` with `event` as its one event file:
    as kontrakt writes it, and as icalendar reads it."""
    write(root, "events/e.yaml", event)
    made = export_calendar(_load(root), STAMP).text
    return made, _calendar(made)


@pytest.mark.parametrize("text", FOLD_EDGES, ids=range(len(FOLD_EDGES)))
def test_the_calendar_folds_as_icalendar_folds(minimal: Path, text: str) -> None:
    """kontrakt folds the lines itself (icalendar's fold is slow); the bytes are
    icalendar's own, and every line is at most 75 octets."""
    made, parsed = _calendar_of_one_event(
        minimal,
        f"title: {_q(text)}\nkind: oppen-verkstad\ndate: 2024-03-15\n"
        f"description: {_q(text + chr(10) + text)}\ncontact: {_q(text)}\n",
    )
    (entry,) = parsed.walk("VEVENT")
    assert str(entry["SUMMARY"]) == fold_line(text)
    line = text.rstrip(" ")
    assert str(entry["DESCRIPTION"]) == f"{line}\n{line}"
    assert all(len(line.encode()) <= 75 for line in made.split("\r\n"))
    assert made == parsed.to_ical().decode("utf-8")  # as icalendar itself writes it


# Text with every character an iCalendar TEXT value escapes or folds around.
CALENDAR_TEXT = st.text(alphabet='ab Nnå€𝄞\\;,:"\n\r\t', min_size=1, max_size=120).filter(
    lambda text: bool(fold_line(text))
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=CALENDAR_TEXT, venue=CALENDAR_TEXT, description=CALENDAR_TEXT, contact=CALENDAR_TEXT)
def test_the_calendar_writes_any_text_as_icalendar_reads_it(
    tmp_path_factory: pytest.TempPathFactory,
    title: str,
    venue: str,
    description: str,
    contact: str,
) -> None:
    """kontrakt writes the entries' lines itself (icalendar's components were slow):
    icalendar reads every value back, and writes the same bytes again, except
    where a backslash stands before an N, which icalendar turns into a line break
    where RFC 5545 keeps it a backslash and an N."""
    root = tmp_path_factory.mktemp("calendar")
    write(root, "kontrakt.yaml", MINIMAL_SETTINGS)
    made, parsed = _calendar_of_one_event(
        root,
        f"title: {_q(title)}\nkind: oppen-verkstad\ndate: 2024-03-15\nstart: '09:00'\n"
        f"venue: {_q(venue)}\ndescription: {_q(description)}\ncontact: {_q(contact)}\n",
    )
    (entry,) = parsed.walk("VEVENT")
    assert str(entry["SUMMARY"]) == fold_line(title)
    assert str(entry["LOCATION"]) == fold_line(venue)
    assert str(entry["CONTACT"]) == fold_line(contact)
    breaks = re.split("\r\n|[\n\r]", description)
    lines = [re.sub("[\x00-\x1f]", " ", line).rstrip(" ") for line in breaks]
    wanted = "\n".join(lines).strip("\n ")
    if wanted:
        assert str(entry["DESCRIPTION"]) == wanted
    assert all(len(line.encode()) <= 75 for line in made.split("\r\n"))
    if "\\N" not in made:
        assert made == parsed.to_ical().decode("utf-8")


def test_place_and_heading_are_one_line() -> None:
    assert place_of("Elite Stadshotell\n", "Eskilstuna") == "Elite Stadshotell, Eskilstuna"
    assert place_of(None, " Västerås\t") == "Västerås"
    assert fold_line("  a\r\n\tb  c\n") == "a b c"
    assert fold_line("285\u00a0000 kr") == "285\u00a0000 kr"  # no-break spaces stay


# --- urls -------------------------------------------------------------------------

BAD_URLS = {
    "crlf": (
        '"https://example.se/a\\r\\nb"',
        "a web address cannot hold a line break; write it on one line without spaces "
        "(a space in a path is %20)",
    ),
    "folded-block": (
        ">\n  https://example.se/forum\n",
        "a web address cannot hold a line break; write it on one line without spaces "
        "(a space in a path is %20)",
    ),
    "space": (
        '"https://example.se/a b"',
        "a web address cannot hold a space; write it on one line without spaces "
        "(a space in a path is %20)",
    ),
    "tab": (
        '"https://example.se/\\ta"',
        "a web address cannot hold a tab; write it on one line without spaces "
        "(a space in a path is %20)",
    ),
    "no-break-space": (
        '"https://example.se/\\u00a0a"',
        "a web address cannot hold the character U+00A0; write it on one line without "
        "spaces (a space in a path is %20)",
    ),
    "no-scheme": (
        "www.example.se/forum",
        "expected a web address: https:// or http:// and a host, or mailto: and an address "
        "(e.g. https://example.se/forum), found 'www.example.se/forum' "
        "(write https://www.example.se/forum)",
    ),
    "ftp": (
        "ftp://example.se",
        "expected a web address: https:// or http:// and a host, or mailto: and an address "
        "(e.g. https://example.se/forum), found 'ftp://example.se'",
    ),
    "javascript": (
        "javascript:alert(1)",
        "expected a web address: https:// or http:// and a host, or mailto: and an address "
        "(e.g. https://example.se/forum), found 'javascript:alert(1)'",
    ),
    "no-host": (
        "'https:///forum'",
        "expected a web address: https:// or http:// and a host, or mailto: and an address "
        "(e.g. https://example.se/forum), found 'https:///forum'",
    ),
    "too-long": (
        "https://example.se/" + "a" * 2000,
        "the web address is 2\u00a0019 characters long, more than 2\u00a0000; link to a shorter "
        "address",
    ),
    "number": (
        "42",
        "expected a web address such as https://example.se/forum, found the number 42",
    ),
}


@pytest.mark.parametrize(("written", "message"), BAD_URLS.values(), ids=BAD_URLS.keys())
def test_bad_url_is_refused_at_its_line(minimal: Path, written: str, message: str) -> None:
    write(minimal, "events/e.yaml", f"title: T\nkind: oppen-verkstad\nurl: {written}\n")
    assert check(minimal) == [f"events/e.yaml:3:6: error: {message} [invalid-value]"]
    result = runner.invoke(app, ["calendar", "-p", str(minimal)])
    assert result.exit_code == 1
    assert "internal error" not in result.output
    assert "fix them first" in result.stderr


GOOD_URLS = [
    "https://example.se/forum",
    "http://example.se",
    "HTTPS://EXAMPLE.SE/Forum?a=1&b=2#c",
    "mailto:asa.oberg@mdu.se",
    "https://exempel.se/väl-mående",
    "https://example.se/" + "a" * 1981,  # 2 000 characters exactly
]


@pytest.mark.parametrize("url", GOOD_URLS)
def test_good_url_reaches_the_calendar(minimal: Path, url: str) -> None:
    write(
        minimal, "events/e.yaml", f"title: T\nkind: oppen-verkstad\ndate: 2024-03-15\nurl: {url}\n"
    )
    assert check(minimal) == []
    (entry,) = _calendar(export_calendar(_load(minimal), STAMP).text).walk("VEVENT")
    assert str(entry["URL"]) == url


def test_url_schema_agrees_with_the_model() -> None:
    validator = jsonschema.Draft202012Validator(schema_for("event"))
    base = {"title": "T", "kind": "k"}
    for url in GOOD_URLS:
        assert validator.is_valid({**base, "url": url}), url
    for url in ["https://example.se/a\r\nb", "https://a b", "ftp://x", "https://", "x" * 30]:
        assert not validator.is_valid({**base, "url": url}), url
    assert not validator.is_valid({**base, "url": "https://example.se/" + "a" * 2000})


# --- locale -----------------------------------------------------------------------

LOCALES = {
    "unknown": ('"xx_XX"', "unknown locale 'xx_XX'; write one such as sv_SE or en_GB"),
    "hyphen": ('"sv-SE"', "unknown locale 'sv-SE'; write sv_SE"),
    "folded-block": (">\n  sv_SE\n", "unknown locale 'sv_SE\n'; write sv_SE"),
    "punctuation": ('"!!!"', "unknown locale '!!!'; write one such as sv_SE or en_GB"),
    "number": ("42", "expected a locale such as sv_SE or en_GB, found the number 42"),
}


@pytest.mark.parametrize(("written", "message"), LOCALES.values(), ids=LOCALES.keys())
def test_locale_babel_cannot_use_is_refused(minimal: Path, written: str, message: str) -> None:
    settings = MINIMAL_SETTINGS.replace("language: sv\n", f"language: sv\nlocale: {written}\n")
    write(minimal, "kontrakt.yaml", settings)
    assert check(minimal) == [f"kontrakt.yaml:4:9: error: {message} [invalid-value]"]
    for command in (("status",), ("budget",), ("report",)):
        code, _, _ = _run(minimal, *command)
        assert code == 1


def test_locale_is_read_in_babels_own_spelling(minimal: Path) -> None:
    settings = MINIMAL_SETTINGS.replace("language: sv\n", "language: sv\nlocale: SV_se\n")
    write(minimal, "kontrakt.yaml", settings)
    assert _load(minimal).settings.resolved_locale() == "sv_SE"
    code, out, _ = _run(minimal, "budget", "--format", "markdown")
    assert code == 0 and "797\u00a0500" in out


# --- dates at the ends of the calendar --------------------------------------------


def test_shift_saturates_at_both_ends() -> None:
    assert shift(date(2024, 2, 27), 60) == date(2024, 4, 27)
    assert shift(date(9999, 12, 31), 60) == date(9999, 12, 31)
    assert shift(date(9999, 12, 1), 3660) == date(9999, 12, 31)
    assert shift(date(1, 1, 1), -1) == date(1, 1, 1)
    assert shift(date(1, 1, 31), -60) == date(1, 1, 1)
    assert day_after(date(9999, 12, 30)) == date(9999, 12, 31)
    assert day_after(date(9999, 12, 31)) is None


def dated(root: Path, first: str, last: str) -> Path:
    """Every date field of every kind, starting at `first` and ending at `last`."""
    write(root, "kontrakt.yaml", MINIMAL_SETTINGS)
    write(
        root,
        "initiatives/alfa.yaml",
        f"title: Alfa\nstatus: ongoing\nkind: pilot\nstart: {first}\nend: {last}\n"
        f"milestones:\n  - date: {first}\n    title: Start\n  - date: {last}\n    title: Slut\n"
        f"history:\n  - date: {first}\n    status: ongoing\n",
    )
    write(
        root,
        "budget/rad.yaml",
        f"title: Rad\namount: 100\ncategory: pilot\nperiod: 2024\ndecision: decided\n"
        f"decided_on: {last}\ninitiatives: [alfa]\n",
    )
    write(root, "budget/forslag.yaml", "title: Förslag\namount: 100\nperiod: 2024\n")
    write(
        root,
        "events/heldag.yaml",
        f"title: Heldag\nkind: oppen-verkstad\ndate: {first}\nend_date: {last}\n",
    )
    write(root, "events/sista.yaml", f"title: Sista\nkind: oppen-verkstad\ndate: {last}\n")
    write(
        root,
        "events/tid.yaml",
        f"title: Tid\nkind: oppen-verkstad\ndate: {last}\nstart: '23:00'\nend: '23:59'\n",
    )
    write(root, "meetings/forsta.yaml", f"date: {first}\nkind: core-team\n")
    if last != first:
        write(root, "meetings/sista.yaml", f"date: {last}\nkind: core-team\n")
    write(root, "news/n.yaml", f"date: {last}\ntitle: Nytt\n")
    write(
        root,
        "questions/q.yaml",
        f"title: Fråga\nraised: {first}\nanswer: Ja\nanswered: {last}\n",
    )
    write(root, "questions/open.yaml", f"title: Öppen\nraised: {last}\n")
    return root


EDGES = ["0001-01-01", "9999-12-31"]
SPANS = {
    "all-first": ("0001-01-01", "0001-01-01"),
    "all-last": ("9999-12-31", "9999-12-31"),
    "first-to-last": ("0001-01-01", "9999-12-31"),
}


@pytest.mark.parametrize(("first", "last"), SPANS.values(), ids=SPANS.keys())
def test_edge_dates_in_every_field_and_as_of(tmp_path: Path, first: str, last: str) -> None:
    root = dated(tmp_path / "p", first, last)
    assert check(root) == []
    for day in EDGES:
        for command in (
            ("status", "--as-of", day),
            ("status", "--as-of", day, "--days", "3660", "--format", "json"),
            ("budget", "--as-of", day),
            ("budget", "--as-of", day, "--format", "json"),
            ("report", "--as-of", day),
            ("report", "--as-of", day, "--days", "3660"),
            ("agenda", day),
            ("agenda", day, "--days", "3660"),
        ):
            code, _, err = _run(root, *command)
            assert (code, err) == (0, ""), command
    code, out, _ = _run(root, "calendar")
    assert code == 0
    assert len(_calendar(out).walk("VEVENT")) == 3 + (1 if first == last else 2)


def test_status_at_the_last_day_looks_ahead_to_it(tmp_path: Path) -> None:
    root = dated(tmp_path / "p", "9999-12-31", "9999-12-31")
    code, out, _ = _run(root, "status", "--as-of", "9999-12-01", "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert document["as_of"] == "9999-12-01"
    assert [e["id"] for e in document["events"]["upcoming"]] == ["heldag", "sista", "tid"]
    snap = snapshot(_load(root), date(9999, 12, 31), 3660)
    assert [key for key, _ in snap.upcoming_events] == ["heldag", "sista", "tid"]


def test_agenda_on_the_last_day_has_its_meeting(tmp_path: Path) -> None:
    root = dated(tmp_path / "p", "0001-01-01", "9999-12-31")
    code, out, _ = _run(root, "agenda", "9999-12-31")
    assert code == 0
    assert out.splitlines()[0] == "# Core team-möte: Testa allt"
    assert "9999-12-31" in out
    plan = agenda(_load(root), date(9999, 12, 31))
    assert (plan.meeting_id, plan.previous) == ("sista", date(1, 1, 1))
    assert [key for key, _ in plan.news] == ["n"]


def test_an_as_of_date_past_the_calendar_is_a_usage_error(minimal: Path) -> None:
    for command, message in (
        (("status", "--as-of", "10000-01-01"), "'10000-01-01' is not a date"),
        (("agenda", "0000-12-31"), "0000-12-31 is not a day in the calendar"),
    ):
        code, _, err = _run(minimal, *command)
        assert code == 2
        assert message in err


def test_calendar_all_day_entries_at_the_edges(tmp_path: Path) -> None:
    root = tmp_path / "p"
    write(root, "kontrakt.yaml", MINIMAL_SETTINGS)
    for key, when in {
        "forsta": "date: 0001-01-01",
        "sista": "date: 9999-12-31",
        "tva-sista": "date: 9999-12-30\nend_date: 9999-12-31",
        "hela": "date: 0001-01-01\nend_date: 9999-12-31",
        "vanlig": "date: 2024-03-15\nend_date: 2024-03-16",
        "lika": "date: 2024-03-15\nstart: '09:00'\nend: '09:00'",
        "tid-sista": "date: 9999-12-31\nstart: '23:00'\nend: '23:59'",
    }.items():
        write(root, f"events/{key}.yaml", f"title: {key}\nkind: oppen-verkstad\n{when}\n")
    write(root, "meetings/m.yaml", "date: 9999-12-31\nkind: core-team\n")
    code, out, _ = _run(root, "calendar")
    assert code == 0
    entries = {str(e["UID"]).split("@")[0]: e for e in _calendar(out).walk("VEVENT")}

    def span(key: str) -> tuple[Any, Any, Any]:
        """DTSTART, DTEND and DURATION as icalendar reads them back (None if absent)."""
        entry = entries[key]
        end = entry.decoded("DTEND") if "DTEND" in entry else None
        duration = entry.decoded("DURATION") if "DURATION" in entry else None
        return entry.decoded("DTSTART"), end, duration

    assert span("event-forsta") == (date(1, 1, 1), date(1, 1, 2), None)
    assert span("event-sista") == (date(9999, 12, 31), None, timedelta(days=1))
    assert span("event-tva-sista") == (date(9999, 12, 30), None, timedelta(days=2))
    assert span("event-hela") == (date(1, 1, 1), None, timedelta(days=3652059))
    assert span("event-vanlig") == (date(2024, 3, 15), date(2024, 3, 17), None)
    assert span("meeting-m") == (date(9999, 12, 31), None, timedelta(days=1))
    start, end, duration = span("event-lika")  # an end equal to the start is no DTEND
    assert (start.hour, end, duration) == (9, None, None)
    start, end, _ = span("event-tid-sista")
    assert (start.year, start.hour, end.hour) == (9999, 23, 23)
    assert "DURATION:P1D" in out


# --- two meetings on one date -----------------------------------------------------

AMBIGUOUS = "kontrakt: 2 meetings on 2024-02-27: core-team, styrgrupp; choose one with --kind\n"


@pytest.fixture
def two_kinds(bundled: Path) -> Path:
    settings = bundled / "kontrakt.yaml"
    text = settings.read_text(encoding="utf-8")
    core = "    core-team: Core team-möte\n"
    assert core in text
    settings.write_text(text.replace(core, core + "    styrgrupp: Styrgruppsmöte\n"), "utf-8")
    write(bundled, "meetings/2024-02-27-styrgrupp.yaml", "date: 2024-02-27\nkind: styrgrupp\n")
    return bundled


def test_two_meetings_on_a_date_need_a_kind(two_kinds: Path) -> None:
    code, out, err = _run(two_kinds, "agenda", "2024-02-27")
    assert (code, out, err) == (1, "", AMBIGUOUS)
    with pytest.raises(AmbiguousMeeting) as raised:
        agenda(_load(two_kinds), date(2024, 2, 27))
    assert raised.value.kinds == ("core-team", "styrgrupp")
    assert raised.value.day == date(2024, 2, 27)


@pytest.mark.parametrize(
    ("kind", "heading", "meeting"),
    [
        (
            "styrgrupp",
            "# Styrgruppsmöte: Välmående och självständiga äldre",
            "2024-02-27-styrgrupp",
        ),
        (
            "core-team",
            "# Core team-möte: Välmående och självständiga äldre",
            "2024-02-27-core-team",
        ),
    ],
)
def test_kind_chooses_the_meeting(two_kinds: Path, kind: str, heading: str, meeting: str) -> None:
    code, out, err = _run(two_kinds, "agenda", "2024-02-27", "--kind", kind)
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == heading
    plan = agenda(_load(two_kinds), date(2024, 2, 27), kind=kind)
    assert (plan.meeting_id, plan.kind, plan.draft) == (meeting, kind, False)


def test_kind_without_its_meeting_on_the_date_is_a_draft_of_that_kind(two_kinds: Path) -> None:
    code, out, _ = _run(two_kinds, "agenda", "2024-03-26", "--kind", "styrgrupp")
    assert code == 0
    draft, _, heading = out.splitlines()[:3]
    assert draft.startswith("*Utkast: det finns ingen mötesfil för 2024-03-26")
    assert heading == "# Styrgruppsmöte: Välmående och självständiga äldre"
    plan = agenda(_load(two_kinds), date(2024, 3, 26), kind="styrgrupp")
    assert plan.previous == date(2024, 2, 27)


def test_unknown_kind_lists_the_known_ones(two_kinds: Path) -> None:
    code, out, err = _run(two_kinds, "agenda", "2024-02-27", "--kind", "board")
    assert (code, out) == (2, "")
    assert err == "kontrakt: unknown meeting kind 'board'; known: core-team, styrgrupp\n"
    code, _, err = _run(two_kinds, "agenda", "--next", "--kind", "board")
    assert code == 2 and "unknown meeting kind 'board'" in err
    with pytest.raises(UnknownMeetingKind):
        agenda(_load(two_kinds), date(2024, 2, 27), kind="board")


def test_next_with_two_meetings_on_the_next_date(two_kinds: Path) -> None:
    for kind in ("core-team", "styrgrupp"):
        write(two_kinds, f"meetings/2099-01-13-{kind}.yaml", f"date: 2099-01-13\nkind: {kind}\n")
    write(two_kinds, "meetings/2099-02-10-styrgrupp.yaml", "date: 2099-02-10\nkind: styrgrupp\n")
    code, out, err = _run(two_kinds, "agenda", "--next")
    assert (code, out) == (1, "")
    assert err == AMBIGUOUS.replace("2024-02-27", "2099-01-13")
    code, out, _ = _run(two_kinds, "agenda", "--next", "--kind", "styrgrupp")
    assert code == 0
    assert out.splitlines()[0] == "# Styrgruppsmöte: Välmående och självständiga äldre"
    assert "· Januari · 2099-01-13" in out
    found = next_meeting(_load(two_kinds), date(2099, 1, 14), "styrgrupp")
    assert found is not None and found[0] == "2099-02-10-styrgrupp"
    assert next_meeting(_load(two_kinds), date(2099, 1, 14), "core-team") is None
    code, out, _ = _run(two_kinds, "agenda", "--next", "--kind", "core-team")
    assert code == 0
    assert out.splitlines()[0] == "# Core team-möte: Välmående och självständiga äldre"


def test_calendar_describes_each_meeting_by_its_agenda(two_kinds: Path) -> None:
    """A meeting's calendar entry carries what its agenda leads with (news since the
    last meeting, open questions, decisions), not a command to run."""
    code, out, _ = _run(two_kinds, "calendar")
    assert code == 0
    meetings = {
        str(e["UID"]).split("@")[0]: str(e.get("DESCRIPTION", ""))
        for e in _calendar(out).walk("VEVENT")
        if str(e["UID"]).startswith("meeting-")
    }
    assert set(meetings) == {"meeting-2024-02-27-core-team", "meeting-2024-02-27-styrgrupp"}
    for description in meetings.values():
        assert "kontrakt agenda" not in description
        assert description.startswith("Nyheter: Blerim stöttar")
        assert "\nÖppna frågor: Ofrivillig ensamhet statsbidrag; Salus mea trygghetslarm" in (
            description
        )


def test_one_meeting_on_a_date_needs_no_kind(bundled: Path) -> None:
    code, out, _ = _run(bundled, "agenda", "2024-02-27")
    assert code == 0
    assert out.splitlines()[0] == "# Core team-möte: Välmående och självständiga äldre"
