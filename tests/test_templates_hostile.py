"""Hostile custom templates (`report --template`, `agenda DATE --template`).

A custom template is code from whoever wrote it, and CI may post what it
renders: it must not read files outside its folder through links, nor run for
ever, exhaust memory or crash kontrakt. Each class of attack ends as exit 1 with
`template NAME (line N): …`, never a traceback. Cases that could hang run in a
subprocess under a generous timeout; none asserts how fast it went.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kontrakt.cli import app

runner = CliRunner()
SECRET = "TOP-SECRET-d41d8cd98f00b204"
POSIX_ONLY = pytest.mark.skipif(
    sys.platform == "win32", reason="symbolic links, SIGALRM and memory use as on POSIX"
)


def _template(folder: Path, text: str, name: str = "evil.md.j2") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _report(portfolio: Path, template: Path) -> tuple[int, str]:
    result = runner.invoke(app, ["report", "-p", str(portfolio), "--template", str(template)])
    return result.exit_code, result.output


def _report_in_subprocess(portfolio: Path, template: Path) -> tuple[int, str]:
    """The CLI in its own process: a hang fails the test instead of stopping the suite."""
    completed = subprocess.run(
        [sys.executable, "-m", "kontrakt", "report", "-p", str(portfolio), "--template", template],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "KONTRAKT_DEBUG": ""},
        check=False,
    )
    return completed.returncode, completed.stdout + completed.stderr


def _assert_refused(code: int, output: str, prefix: str) -> None:
    assert code == 1, output
    assert prefix in output, output
    assert "internal error" not in output
    assert "Traceback" not in output
    assert SECRET not in output


# --- links out of the template folder ----------------------------------------------------


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the template folder, with a secret file and template-like files."""
    folder = tmp_path / "outside"
    (folder / "dir").mkdir(parents=True)
    (folder / "secret.txt").write_text(SECRET, encoding="utf-8")
    (folder / "dir" / "secret.txt").write_text(SECRET, encoding="utf-8")
    (folder / "macros.j2").write_text(
        f"{{% macro hi() %}}{SECRET}{{% endmacro %}}", encoding="utf-8"
    )
    (folder / "base.j2").write_text(f"{{% block b %}}{SECRET}{{% endblock %}}", encoding="utf-8")
    return folder


@POSIX_ONLY
@pytest.mark.parametrize(
    ("link", "target", "text"),
    [
        ("secret.txt", "secret.txt", '# Report\n{% include "secret.txt" %}'),
        ("linked", "dir", '# Report\n{% include "linked/secret.txt" %}'),
        ("macros.j2", "macros.j2", '# Report\n{% import "macros.j2" as m %}{{ m.hi() }}'),
        ("macros.j2", "macros.j2", '# Report\n{% from "macros.j2" import hi %}{{ hi() }}'),
        ("base.j2", "base.j2", '# Report\n{% extends "base.j2" %}'),
        ("secret.txt", "secret.txt", '# Report\n{% include ["secret.txt", "x"] ignore missing %}'),
    ],
)
def test_a_link_out_of_the_template_folder_is_refused(
    minimal: Path, tmp_path: Path, outside: Path, link: str, target: str, text: str
) -> None:
    folder = tmp_path / "templates"
    template = _template(folder, text)
    (folder / link).symlink_to(outside / target)
    code, output = _report(minimal, template)
    name = "linked/secret.txt" if link == "linked" else link
    _assert_refused(code, output, f"template evil.md.j2 (line 2): {name!r} is a link")


@POSIX_ONLY
def test_agenda_refuses_a_link_out_of_the_template_folder(
    minimal: Path, tmp_path: Path, outside: Path
) -> None:
    folder = tmp_path / "templates"
    template = _template(folder, '{% include "notes.md" %}\n')
    (folder / "notes.md").symlink_to(outside / "secret.txt")
    result = runner.invoke(
        app, ["agenda", "2024-02-27", "-p", str(minimal), "--template", str(template)]
    )
    _assert_refused(result.exit_code, result.output, "template evil.md.j2 (line 1): 'notes.md'")


def test_dot_dot_and_absolute_names_stay_in_the_folders(
    minimal: Path, tmp_path: Path, outside: Path
) -> None:
    folder = tmp_path / "templates"
    climbing = _template(folder, '{% include "../outside/secret.txt" %}')
    _assert_refused(*_report(minimal, climbing), "template evil.md.j2 (line 1): ")
    absolute = _template(folder, f'{{% include "{outside / "secret.txt"}" %}}')
    _assert_refused(*_report(minimal, absolute), "template evil.md.j2 (line 1): no template")


@POSIX_ONLY
def test_links_inside_the_folders_and_the_bundled_templates_still_work(
    minimal: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "templates"
    _template(folder / "parts", "part: {{ name }}\n", "part.md.j2")
    (folder / "alias.md.j2").symlink_to(folder / "parts" / "part.md.j2")
    template = _template(
        folder,
        '{% include "parts/part.md.j2" %}{% include "alias.md.j2" %}'
        '{% with table = budget.table %}{% include "budget-table.md.j2" %}{% endwith %}',
    )
    code, output = _report(minimal, template)
    assert code == 0, output
    assert output.startswith("part: Test\npart: Test\n| ")


@POSIX_ONLY
def test_the_main_template_may_be_read_wherever_its_link_leads(
    minimal: Path, tmp_path: Path, outside: Path
) -> None:
    real = _template(outside, "# {{ mission }}\n", "real.md.j2")
    named = tmp_path / "templates" / "mine.md.j2"
    named.parent.mkdir()
    named.symlink_to(real)
    code, output = _report(minimal, named)
    assert (code, output) == (0, "# Testa allt\n")


# --- time ---------------------------------------------------------------------------------

LOOP_BOMB = (
    "# Report\n{% set r = range(100000) %}"
    "{% for a in r %}{% for b in r %}{% endfor %}{% endfor %}\n"
)


def test_a_loop_without_end_is_stopped_by_the_deadline(minimal: Path, tmp_path: Path) -> None:
    template = _template(tmp_path / "t", LOOP_BOMB)
    code, output = _report_in_subprocess(minimal, template)
    _assert_refused(code, output, "template evil.md.j2 (line 2): still running after")


def test_the_deadline_holds_without_a_timer_signal(minimal: Path, tmp_path: Path) -> None:
    """Away from the main thread there is no SIGALRM: the loops themselves look at the clock."""
    template = _template(tmp_path / "t", LOOP_BOMB)
    outcome: list[tuple[int, str]] = []
    worker = threading.Thread(
        target=lambda: outcome.append(_report(minimal, template)), daemon=True
    )
    worker.start()
    worker.join(timeout=60)
    assert not worker.is_alive(), "the render did not stop"
    _assert_refused(*outcome[0], "template evil.md.j2 (line 2): still running after")


@POSIX_ONLY
def test_the_timer_is_put_back_as_it_was(minimal: Path, tmp_path: Path) -> None:
    """Whoever runs kontrakt in-process (a test runner's timeout) keeps its own timer."""
    template = _template(tmp_path / "t", "# {{ mission }}\n")
    fired: list[int] = []

    def handler(signum: int, frame: object) -> None:
        fired.append(signum)

    previous = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, 30)
    try:
        assert _report(minimal, template) == (0, "# Testa allt\n")
        assert signal.getsignal(signal.SIGALRM) is handler
        left, _ = signal.setitimer(signal.ITIMER_REAL, 0)
        assert 0 < left <= 30
        assert fired == []
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --- size ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "{{ 'x' * 10**9 }}",
        "{{ [0] * 10**9 }}",
        "{{ 'x'|center(10**9) }}",
        "{{ 'x'|center(1000000000) }}",
        "{% set s = 'x' %}{{ s.ljust(10**9) }}",
        "{{ '1'.zfill(999999999) }}",
        '{{ "{:>999999999}".format(1) }}',
        '{{ "%999999999d"|format(1) }}',
        '{{ "%.999999999f" % 1.5 }}',
        "{{ 'a\\nb'|indent(10**9) }}",
        "{% set s = 'x' * 1000000 %}{{ s.replace('x', s) }}",
        "{% set s = 'x' * 1000000 %}{{ s|replace('', s) }}",
        "{% set s = 'x' * 1000000 %}{{ s|join(s) }}",
        "{% set s = 'x' * 1000000 %}{{ s.join(s) }}",
        "{{ [1]|batch(10**9, 0)|list|length }}",
        "{{ lipsum(10**7) }}",
        "{% set ns = namespace(s='x') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}"
        "{% endfor %}{{ ns.s|length }}",
        "{% set ns = namespace(l=[1]) %}{% for i in range(64) %}{% set ns.l = ns.l + ns.l %}"
        "{% endfor %}{{ ns.l|length }}",
        "{% macro grow(s) %}{{ grow(s ~ s) }}{% endmacro %}{{ grow('x') }}",
        "{% set ns = namespace(l=[1]) %}{% for i in range(64) %}{% set ns.l = [ns.l, ns.l] %}"
        "{% endfor %}{{ ns.l }}",
        "{% set ns = namespace(l=[1]) %}{% for i in range(64) %}{% set ns.l = [ns.l, ns.l] %}"
        "{% endfor %}{{ ns.l|tojson }}",
    ],
)
def test_a_value_too_big_to_build_is_refused(minimal: Path, tmp_path: Path, line: str) -> None:
    template = _template(tmp_path / "t", f"# Report\n\n{line}\n")
    code, output = _report_in_subprocess(minimal, template)
    _assert_refused(code, output, "template evil.md.j2 (line 3): ")
    assert "more than a template may build" in output


@pytest.mark.parametrize("number", ["10**5000", "10**10**10", "(10**50) * (10**60)"])
def test_a_number_too_big_to_print_is_refused(minimal: Path, tmp_path: Path, number: str) -> None:
    template = _template(tmp_path / "t", f"# Report\n{{{{ {number} }}}}\n")
    code, output = _report_in_subprocess(minimal, template)
    _assert_refused(code, output, "template evil.md.j2 (line 2): a number of more than")


def test_a_document_too_long_is_refused(minimal: Path, tmp_path: Path) -> None:
    template = _template(
        tmp_path / "t",
        "# Report\n{% set words = 'word' * 250 %}\n"
        "{% for a in range(100000) %}{{ words }}\n{% endfor %}\n",
    )
    code, output = _report_in_subprocess(minimal, template)
    _assert_refused(code, output, "template evil.md.j2 (line 3): the document would be longer")


@POSIX_ONLY
def test_a_template_hoarding_text_is_stopped(minimal: Path, tmp_path: Path) -> None:
    template = _template(
        tmp_path / "t",
        "# Report\n{% set s = 'x' * 4000000 %}{% set ns = namespace(kept=[]) %}\n"
        "{% for i in range(100000) %}{% if ns.kept.append(s ~ i) %}{% endif %}{% endfor %}\n",
    )
    code, output = _report_in_subprocess(minimal, template)
    _assert_refused(code, output, "template evil.md.j2 (line 3): ")


# --- errors -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "why"),
    [
        ("{% for i in range(10**9) %}{% endfor %}", "a range of 1,000,000,000 numbers"),
        ("{% macro deeper(n) %}{{ deeper(n + 1) }}{% endmacro %}{{ deeper(0) }}", "recursion"),
        ('{% include "evil.md.j2" %}', "recursion"),
        ("{{ 1 / 0 }}", "division by zero"),
        ("{{ 7 // 0 }}", "integer division or modulo by zero"),
        ("{{ 1 + 'a' }}", "unsupported operand type(s) for +: 'int' and 'str'"),
        ("{{ 'x' * 'y' }}", "can't multiply sequence by non-int of type 'str'"),
        ("{{ 'x' is divisibleby 0 }}", ""),
        ("{{ 2.0 ** 100000 }}", ""),
        ("{{ 'a'|truncate(1) }}", ""),
    ],
)
def test_a_failing_template_names_its_line(
    minimal: Path, tmp_path: Path, line: str, why: str
) -> None:
    template = _template(tmp_path / "t", f"# Report\n\n{line}\n")
    code, output = _report_in_subprocess(minimal, template)
    _assert_refused(code, output, f"template evil.md.j2 (line 3): {why}")
