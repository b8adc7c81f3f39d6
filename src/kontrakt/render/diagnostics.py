"""Problems as text for people, JSON for scripts, Markdown for pull requests."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kontrakt.diagnostics import Diagnostic, Severity, count, printable
from kontrakt.i18n import _, ngettext, numeral
from kontrakt.render.output import Output
from kontrakt.render.safe import guard_command_data, one_line, to_json

MAX_PARENT_STEPS = 3


def display_path(path: Path, cwd: Path) -> str:
    """Relative to the working directory (`../kontrakt.yaml` from a subfolder) when that
    is short, so editors and CI can open it; absolute otherwise."""
    if not path.is_absolute():
        return printable(path.as_posix())
    relative = Path(os.path.relpath(path, cwd))
    shared = Path(os.path.commonpath([path, cwd]))
    if len(shared.parts) > 1 and relative.parts.count("..") <= MAX_PARENT_STEPS:
        return printable(relative.as_posix())
    return printable(path.as_posix())


def as_lines(diagnostics: Sequence[Diagnostic], cwd: Path) -> list[str]:
    """`path:line:col: severity: message [rule]`, the form editors and CI understand.

    One line each, whatever the path or an echoed value holds: a line break or a
    control character is shown escaped, so no message can forge or hide another.
    """
    return ["".join(_parts(d, cwd)) for d in diagnostics]


def _parts(d: Diagnostic, cwd: Path) -> tuple[str, str]:
    """`path:line:col: ` and `severity: message [rule]`: a line, where its severity starts."""
    where = f"{one_line(display_path(d.path, cwd))}:{d.line}:{d.column}: "
    return where, f"{d.severity.value}: {one_line(printable(d.message))} [{d.rule}]"


def summary(diagnostics: Sequence[Diagnostic], files: int) -> str:
    """`35 files checked: 1 error, 2 warnings`, in the language messages speak."""
    errors = count(diagnostics, Severity.ERROR)
    warnings = count(diagnostics, Severity.WARNING)
    checked = ngettext("{count} file checked", "{count} files checked", files).format(
        count=numeral(files)
    )
    if not errors and not warnings:
        return _("{checked}: no problems").format(checked=checked)
    parts = []
    if errors:
        parts.append(
            ngettext("{count} error", "{count} errors", errors).format(count=numeral(errors))
        )
    if warnings:
        parts.append(
            ngettext("{count} warning", "{count} warnings", warnings).format(
                count=numeral(warnings)
            )
        )
    # TRANSLATORS: {problems} is a list such as "1 error, 2 warnings".
    return _("{checked}: {problems}").format(checked=checked, problems=", ".join(parts))


def as_dict(diagnostic: Diagnostic, cwd: Path) -> dict[str, str | int]:
    """One problem as {path, line, column, severity, rule, message} (docs/format.md)."""
    return {
        "path": display_path(diagnostic.path, cwd),
        "line": diagnostic.line,
        "column": diagnostic.column,
        "severity": diagnostic.severity.value,
        "rule": diagnostic.rule,
        "message": printable(diagnostic.message),
    }


def as_json(diagnostics: Sequence[Diagnostic], cwd: Path) -> str:
    return to_json([as_dict(d, cwd) for d in diagnostics])


def as_markdown(diagnostics: Sequence[Diagnostic], files: int, cwd: Path) -> str:
    """A table for a pull request comment or a CI job summary."""
    from kontrakt.render.templates import render

    rows = [as_dict(d, cwd) for d in diagnostics]
    return render("check.md.j2", {"rows": rows, "summary": summary(diagnostics, files)})


def _escape_data(text: str) -> str:
    """A workflow command's message: %, CR and LF are encoded (GitHub's rules), and
    any other control character is shown escaped."""
    encoded = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return guard_command_data(one_line(encoded))


def _escape_property(text: str) -> str:
    """A workflow command's property value: also : and , are encoded."""
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def as_github(diagnostics: Sequence[Diagnostic], cwd: Path) -> list[str]:
    """GitHub Actions workflow commands, so each problem shows on its line in the PR."""
    return [
        f"::{d.severity.value} file={_escape_property(display_path(d.path, cwd))},"
        f"line={d.line},col={d.column},title={_escape_property('kontrakt ' + d.rule)}"
        f"::{_escape_data(printable(d.message))}"
        for d in diagnostics
    ]


def use_color(stream_is_tty: bool) -> bool:
    return stream_is_tty and "NO_COLOR" not in os.environ


# --- the formats of `kontrakt check` (render/formats.py names them) -----------------


@dataclass(frozen=True, slots=True)
class CheckReport:
    """What `kontrakt check` found, and where it is printed."""

    diagnostics: Sequence[Diagnostic]
    files: int
    cwd: Path
    color: bool = False  # severities coloured, for a terminal


def text_output(report: CheckReport) -> Output:
    """`path:line:col: severity: message [rule]` lines and a summary; on a colour
    terminal the severity is red (error) or yellow (warning)."""
    closing = summary(report.diagnostics, report.files)
    if not report.color:
        lines = as_lines(report.diagnostics, report.cwd)
        return Output(text="".join(f"{line}\n" for line in [*lines, closing]))
    from rich.console import Group
    from rich.text import Text

    texts = []
    for diagnostic in report.diagnostics:
        where, said = _parts(diagnostic, report.cwd)
        shade = "bold red" if diagnostic.severity is Severity.ERROR else "bold yellow"
        text = Text(where + said)
        text.stylize(shade, len(where), len(where) + len(diagnostic.severity.value))
        texts.append(text)
    return Output(renderable=Group(*texts, Text(closing)), wrap=False)


def github_output(report: CheckReport) -> Output:
    """Workflow commands, then the summary: every problem on its line in the PR."""
    lines = [*as_github(report.diagnostics, report.cwd), summary(report.diagnostics, report.files)]
    return Output(text="".join(f"{line}\n" for line in lines), commands=True)


def json_output(report: CheckReport) -> Output:
    return Output(text=as_json(report.diagnostics, report.cwd) + "\n")


def markdown_output(report: CheckReport) -> Output:
    return Output(text=as_markdown(report.diagnostics, report.files, report.cwd))
