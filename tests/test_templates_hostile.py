"""Hostile custom templates (`report --template`, `agenda DATE --template`).

A custom template is code from whoever wrote it, and CI may post what it
renders: it must not read files outside its folder through links, nor hidden
files inside it, nor run for ever, exhaust memory or crash kontrakt. Each class
of attack ends as exit 1 with `template NAME (line N): …`, never a traceback.
Cases that could hang run in a subprocess under a generous timeout; none
asserts how fast it went.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import write
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
    _assert_refused(
        *_report(minimal, climbing),
        "template evil.md.j2 (line 1): '../outside/secret.txt' climbs out of the template folder",
    )
    secret = (outside / "secret.txt").as_posix()
    absolute = _template(folder, f'{{% include "{secret}" %}}')
    why = "starts with a drive letter" if sys.platform == "win32" else "is an absolute path"
    _assert_refused(*_report(minimal, absolute), f"template evil.md.j2 (line 1): {secret!r} {why}")


# --- hidden files and names that are not plain -------------------------------------------


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A template folder that is also a home folder: hidden files beside the templates."""
    folder = tmp_path / "home"
    for hidden in (".ssh/id_rsa", ".env", ".macros.j2", ".base.j2", "notes/.git/config"):
        (folder / hidden).parent.mkdir(parents=True, exist_ok=True)
        (folder / hidden).write_text(
            f"{{% macro hi() %}}{SECRET}{{% endmacro %}}{{% block b %}}{SECRET}{{% endblock %}}",
            encoding="utf-8",
        )
    (folder / "ok.md.j2").write_text("ok\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ('{% include ".ssh/id_rsa" %}', ".ssh/id_rsa"),
        ('{% include ".env" ignore missing %}', ".env"),
        ('{% include [".env", "ok.md.j2"] %}', ".env"),
        ('{% include "notes/.git/config" %}', "notes/.git/config"),
        ('{% import ".macros.j2" as m %}{{ m.hi() }}', ".macros.j2"),
        ('{% from ".macros.j2" import hi %}{{ hi() }}', ".macros.j2"),
        ('{% extends ".base.j2" %}', ".base.j2"),
        ('{% include "notes/.git/../../.env" %}', "notes/.git/../../.env"),
    ],
)
def test_a_hidden_file_is_never_read(home: Path, minimal: Path, text: str, name: str) -> None:
    template = _template(home, f"# Report\n{text}\n")
    _assert_refused(
        *_report(minimal, template),
        f"template evil.md.j2 (line 2): {name!r} names a hidden file or folder "
        "(a part starting with `.`); those are never read as templates",
    )


@POSIX_ONLY
def test_a_link_to_a_hidden_file_is_refused(home: Path, minimal: Path) -> None:
    (home / "notes.md").symlink_to(home / ".ssh" / "id_rsa")
    (home / "keys").symlink_to(home / ".ssh")
    for name in ("notes.md", "keys/id_rsa"):
        template = _template(home, f'# Report\n\n{{% include "{name}" %}}\n')
        _assert_refused(
            *_report(minimal, template),
            f"template evil.md.j2 (line 3): {name!r} is a link to a hidden file or folder",
        )


def test_agenda_refuses_a_hidden_file(home: Path, minimal: Path) -> None:
    template = _template(home, '{% include ".ssh/id_rsa" %}\n')
    result = runner.invoke(
        app, ["agenda", "2024-02-27", "-p", str(minimal), "--template", str(template)]
    )
    _assert_refused(
        result.exit_code,
        result.output,
        "template evil.md.j2 (line 1): '.ssh/id_rsa' names a hidden",
    )


@pytest.mark.parametrize(
    ("name", "why"),
    [
        (
            "parts\\\\part.md.j2",
            "has a backslash; separate the parts of a template's name with `/`",
        ),
        ("..\\\\secret.txt", "has a backslash; separate the parts"),
        ("C:/secret.txt", "starts with a drive letter; name a template by its path inside"),
        ("c:secret.txt", "starts with a drive letter"),
        ("/etc/passwd", "is an absolute path; name a template by its path inside"),
        ("//server/share/x.j2", "is an absolute path"),
        ("./parts/part.md.j2", "has a `.` part; name a template by its path inside"),
    ],
)
def test_a_name_that_is_not_plain_says_why(
    minimal: Path, tmp_path: Path, name: str, why: str
) -> None:
    folder = tmp_path / "templates"
    _template(folder / "parts", "part\n", "part.md.j2")
    template = _template(folder, f'# Report\n{{% include "{name}" %}}\n')
    shown = name.replace("\\\\", "\\")  # as Jinja reads the literal: one backslash
    _assert_refused(*_report(minimal, template), f"template evil.md.j2 (line 2): {shown!r} {why}")


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


def _guarded(seconds: float) -> tuple[Any, Any]:
    """A Markdown sandbox over two templates, on a guard of `seconds` a render."""
    from jinja2 import DictLoader

    from kontrakt.render.sandbox import Guard
    from kontrakt.render.templates import markdown_environment

    guard = Guard(seconds=seconds)
    loader = DictLoader({"loop.j2": LOOP_BOMB, "wait.j2": "{{ wait() }}"})
    return guard, markdown_environment(loader, guard)


def _render(guard: Any, environment: Any, name: str, context: dict[str, Any]) -> str:
    from kontrakt.render.sandbox import generate

    with guard.running():
        return str(generate(environment.get_template(name), context, guard))


@POSIX_ONLY
def test_renders_in_one_session_each_have_their_own_deadline() -> None:
    """A site's pages share one timer (Guard.session); each page still has the whole
    budget, counted from its own start, and a page that runs on is stopped."""
    from kontrakt.render.sandbox import RenderStopped

    guard, environment = _guarded(seconds=1.0)
    waited = {"wait": lambda: time.sleep(0.1) or "ok"}
    before = signal.getsignal(signal.SIGALRM)
    with guard.session():
        # 1.2 s in all, past one budget: each render is well inside its own.
        assert [_render(guard, environment, "wait.j2", waited) for _ in range(12)] == ["ok"] * 12
        with pytest.raises(RenderStopped, match="still running after 1 seconds"):
            _render(guard, environment, "loop.j2", {})
        assert _render(guard, environment, "wait.j2", waited) == "ok"  # the next one starts anew
        with pytest.raises(RenderStopped):
            _render(guard, environment, "loop.j2", {})
    assert signal.getsignal(signal.SIGALRM) is before
    assert signal.setitimer(signal.ITIMER_REAL, 0) == (0.0, 0.0)


@POSIX_ONLY
def test_a_forked_worker_measures_its_own_memory() -> None:
    """The memory ceiling reads /proc/self/statm through a descriptor kept open; a
    forked worker must read its own, not the one it inherited from its parent."""
    from kontrakt.render import sandbox

    if sandbox._resident_bytes() is None or not Path("/proc/self/statm").exists():
        pytest.skip("no /proc here")
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child reports through the pipe
        try:
            before = sandbox._resident_bytes() or 0
            block = bytearray(64 * 1024 * 1024)
            block[::4096] = b"x" * len(block[::4096])
            grown = (sandbox._resident_bytes() or 0) - before
            os.write(writing, str(grown).encode())
        finally:
            os._exit(0)
    os.close(writing)
    grown = int(os.read(reading, 100) or b"0")
    os.close(reading)
    os.waitpid(child, 0)
    assert grown >= 60 * 1024 * 1024


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
    """Namespaces chained one to the next: no single value is too big, only all of them."""
    template = _template(
        tmp_path / "t",
        "# Report\n{% set s = 'x' * 4000000 %}{% set ns = namespace(head=none) %}\n"
        "{% for i in range(100000) %}{% set ns.head = namespace(next=ns.head, text=s ~ i) %}"
        "{% endfor %}\n",
    )
    code, output = _report_in_subprocess(minimal, template)
    _assert_refused(code, output, "template evil.md.j2 (line 3): needs more than 256 MiB")


# --- values that hold the same value over and over -----------------------------------------
#
# Forty times `{% set ns.a = [ns.a, ns.a] %}` is forty lists in memory and 2**40 items
# to compare, hash, sort or print, each in one C-level step the deadline cannot stop.
# No such value may be built, whichever way it is built; so whichever walk would
# follow never starts.

DOUBLED = (
    "# Report\n{{% set ns = namespace(a=[1], b=[1]) %}}\n"
    "{{% for i in range(40) %}}{{% set ns.a = {a} %}}{{% set ns.b = {b} %}}{{% endfor %}}\n"
    "{walk}\n"
)
TOO_MANY = "template evil.md.j2 (line 3): a value holding more than 1,000,000 items"


@pytest.mark.parametrize(
    "build",
    [
        pytest.param("[X, X]", id="list"),
        pytest.param("(X, X)", id="tuple"),
        pytest.param("{'x': X, 'y': X}", id="dict"),
        pytest.param("[X] + [X]", id="plus"),
        pytest.param("[X] * 2", id="times"),
        pytest.param("(X,) * 2", id="tuple-times"),
        pytest.param("[X, 1][:1] * 2", id="slice-times"),
        pytest.param("[ns, ns]|map(attribute=NAME)|list", id="filter"),
        pytest.param("[[X], [X]]|sum(start=[])", id="sum"),
        pytest.param("[1]|batch(3, X)|list", id="batch"),
        pytest.param("{}.fromkeys(['x', 'y'], X)", id="method"),
        pytest.param("dict(x=X, y=X)", id="call"),
        pytest.param("cycler(X, X).items", id="cycler"),
    ],
)
def test_a_value_doubled_over_and_over_is_refused(
    minimal: Path, tmp_path: Path, build: str
) -> None:
    text = DOUBLED.format(
        a=build.replace("X", "ns.a").replace("NAME", "'a'"),
        b=build.replace("X", "ns.b").replace("NAME", "'b'"),
        walk="{{ ns.a == ns.b }}",
    )
    code, output = _report_in_subprocess(minimal, _template(tmp_path / "t", text))
    _assert_refused(code, output, TOO_MANY)


@pytest.mark.parametrize("arguments", ["X.v, X.v", "x=X.v, y=X.v"], ids=["varargs", "kwargs"])
def test_a_macro_packing_its_arguments_is_measured(
    minimal: Path, tmp_path: Path, arguments: str
) -> None:
    text = (
        "# Report\n{% macro keep(into) %}{% set into.v = varargs or kwargs %}{% endmacro %}"
        "{% set a = namespace(v=[1]) %}{% set b = namespace(v=[1]) %}\n"
        "{% for i in range(40) %}{{ keep(a, A) }}{{ keep(b, B) }}{% endfor %}\n"
        "{{ a.v == b.v }}\n"
    )
    text = text.replace("A)", arguments.replace("X", "a") + ")")
    text = text.replace("B)", arguments.replace("X", "b") + ")")
    code, output = _report_in_subprocess(minimal, _template(tmp_path / "t", text))
    _assert_refused(code, output, TOO_MANY)


@pytest.mark.parametrize(
    "walk",
    [
        pytest.param("{{ ns.a == ns.b }}", id="=="),
        pytest.param("{{ ns.a != ns.b }}", id="!="),
        pytest.param("{{ ns.a < ns.b }}", id="<"),
        pytest.param("{{ ns.a in [ns.b] }}", id="in"),
        pytest.param("{{ ns.a is in [ns.b] }}", id="is-in"),
        pytest.param("{{ ns.a is eq ns.b }}", id="is-eq"),
        pytest.param("{{ [ns.b]|select('eq', ns.a)|list }}", id="select"),
        pytest.param("{{ {ns.a: 1}[ns.b] }}", id="hash"),
        pytest.param("{{ ns.a in {} }}", id="in-dict"),
        pytest.param("{{ [ns.a, ns.b]|sort }}", id="sort"),
        pytest.param("{{ [ns.a, ns.b]|unique|list }}", id="unique"),
        pytest.param("{{ {'a': ns.a, 'b': ns.b}|dictsort(by='value') }}", id="dictsort"),
        pytest.param("{{ [ns.a, ns.b]|groupby(0) }}", id="groupby"),
        pytest.param("{{ [ns.a, ns.b]|min }}", id="min"),
        pytest.param("{{ [ns.a, ns.b]|max }}", id="max"),
        pytest.param("{% for x in [ns.a, ns.b] %}{{ loop.changed(x) }}{% endfor %}", id="changed"),
        pytest.param("{{ ns.a|tojson }}", id="tojson"),
        pytest.param("{{ ns.a }}", id="print"),
        pytest.param("{{ ns.a|string }}", id="string"),
        pytest.param("{{ ns.a ~ '' }}", id="tilde"),
        pytest.param("{{ '%s' % (ns.a,) }}", id="percent"),
        pytest.param("{{ ns.a is lower }}", id="is-lower"),
    ],
)
def test_no_walk_of_a_doubled_value_starts(minimal: Path, tmp_path: Path, walk: str) -> None:
    """Tuples, so that hashing and sorting would work too: the value is never made."""
    text = DOUBLED.format(a="(ns.a, ns.a)", b="(ns.b, ns.b)", walk=walk)
    code, output = _report_in_subprocess(minimal, _template(tmp_path / "t", text))
    _assert_refused(code, output, TOO_MANY)


def test_a_long_text_held_over_and_over_is_refused(minimal: Path, tmp_path: Path) -> None:
    """Fewer than a million items, but comparing the two lists would read 7 TB."""
    text = (
        "# Report\n{% set s = 'x' * 8000000 %}{% set t = 'x' * 8000000 %}\n"
        "{% set a = [s] * 900000 %}{% set b = [t] * 900000 %}\n"
        "{{ a == b }}\n"
    )
    code, output = _report_in_subprocess(minimal, _template(tmp_path / "t", text))
    _assert_refused(
        code,
        output,
        "template evil.md.j2 (line 3): a value holding more than 33,554,432 characters of text",
    )


def test_a_list_changed_after_it_was_shared_is_refused(minimal: Path, tmp_path: Path) -> None:
    """Shared 2**19 times while empty, then filled: every holder would grow unmeasured."""
    text = (
        "# Report\n{% set ns = namespace(a=[1], b=[1]) %}{% set fill = [] %}{% set other = [] %}"
        "{% set ns.a = [fill] %}{% set ns.b = [other] %}"
        "{% for i in range(18) %}{% set ns.a = [ns.a, ns.a] %}{% set ns.b = [ns.b, ns.b] %}"
        "{% endfor %}\n"
        "{% for i in range(1000) %}{% set _ = fill.append(i) %}{% set _ = other.append(i) %}"
        "{% endfor %}\n{{ ns.a == ns.b }}\n"
    )
    code, output = _report_in_subprocess(minimal, _template(tmp_path / "t", text))
    _assert_refused(
        code, output, "template evil.md.j2 (line 3): a template cannot change a list in place"
    )


def test_a_list_a_file_left_out_is_a_list_to_the_template(minimal: Path, tmp_path: Path) -> None:
    """Every left-out list is one shared empty list (models/common.py); a template
    is told it cannot change a list, not the name of the class that holds it."""
    write(minimal, "questions/q.yaml", "title: Fråga\nraised: 2024-01-01\n")
    text = "# Report\n{% for q in questions.open %}\n{{ q.points.append(1) }}{% endfor %}\n"
    _assert_refused(
        *_report(minimal, _template(tmp_path / "t", text)),
        "template evil.md.j2 (line 3): a template cannot change a list in place (`append`)",
    )


@pytest.mark.parametrize(
    ("line", "what"),
    [
        ("{% set _ = l.append(1) %}", "list in place (`append`)"),
        ("{{ l.extend([1]) }}", "list in place (`extend`)"),
        ("{{ l.insert(0, 1) }}", "list in place (`insert`)"),
        ("{{ l.sort() }}", "list in place (`sort`)"),
        ("{{ l.pop() }}", "list in place (`pop`)"),
        ("{{ d.update({'a': 1}) }}", "dict in place (`update`)"),
        ("{{ d.setdefault('a', []) }}", "dict in place (`setdefault`)"),
        ("{{ (d|attr('update'))(a=1) }}", "dict in place (`update`)"),
        ('{{ "{0.append}".format(l) }}', "list in place (`append`)"),
    ],
)
def test_a_template_cannot_change_a_value_in_place(
    minimal: Path, tmp_path: Path, line: str, what: str
) -> None:
    text = f"# Report\n{{% set l = [1] %}}{{% set d = {{}} %}}\n{line}\n"
    _assert_refused(
        *_report(minimal, _template(tmp_path / "t", text)),
        f"template evil.md.j2 (line 3): a template cannot change a {what}; make a new one",
    )


@pytest.mark.parametrize(
    ("text", "why"),
    [
        (
            "{% set ns = namespace(a=[]) %}{% for i in range(120) %}{% set ns.a = [ns.a] %}"
            "{% endfor %}",
            "lists or dicts nested more than 100 deep",
        ),
        ("{{ '%999999999d' is divisibleby 1 }}", "a width of 999,999,999 characters"),
        ("{{ [1]|batch(100000, 'x' * 1000) }}", "a value holding more than 33,554,432"),
    ],
)
def test_other_values_too_big_are_refused(
    minimal: Path, tmp_path: Path, text: str, why: str
) -> None:
    template = _template(tmp_path / "t", f"# Report\n\n{text}\n")
    _assert_refused(*_report(minimal, template), f"template evil.md.j2 (line 3): {why}")


def test_values_made_the_ordinary_way_still_work(minimal: Path, tmp_path: Path) -> None:
    """Collecting with a namespace, literals of kontrakt's values, sorting, grouping."""
    text = (
        "{% set ns = namespace(titles=[], pairs=[]) %}"
        "{% for group in groups %}{% for item in group.initiatives %}"
        "{% set ns.titles = ns.titles + [item.title] %}"
        "{% set ns.pairs = ns.pairs + [(group.label, item)] %}"
        "{% endfor %}{% endfor %}"
        "{{ ns.titles|sort|join(', ') }}; {{ ns.pairs|length }}; "
        "{{ ns.pairs|map(attribute='1.title')|unique|list|length }}; "
        "{{ (ns.pairs|groupby(0))|length }}; {{ [groups, groups]|length }}; "
        "{{ dict(a=[1, 2]).a|sum }}; {{ {'b': 2, 'a': 1}|dictsort|first|first }}; "
        "{% set c = cycler('odd', 'even') %}{{ c.next() }} {{ c.next() }}; "
        "{% macro count() %}{{ varargs|length }}{% endmacro %}{{ count(groups, groups, 3) }}; "
        "{{ ns.titles == ns.titles|list }} {{ (1, [2]) in [(1, [2])] }}\n"
    )
    code, output = _report(minimal, _template(tmp_path / "t", text))
    assert (code, output) == (0, "Alfa; 1; 1; 1; 2; 3; a; odd even; 3; True True\n"), output


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


@pytest.mark.parametrize(
    "source",
    [
        "".join(f"{{% macro m{n}() %}}{{% endmacro %}}" for n in range(30_000)),
        "{{ " + " ~ ".join(["a"] * 200_000) + " }}",
    ],
    ids=["thousands of macros", "a long chain of ~"],
)
def test_a_template_too_large_to_compile_is_refused_before_compiling(
    minimal: Path, tmp_path: Path, source: str
) -> None:
    template = tmp_path / "evil.md.j2"
    template.write_text(source, encoding="utf-8")
    code, output = _report_in_subprocess(minimal, template)
    assert code == 1
    assert output.startswith(
        "kontrakt: template evil.md.j2: the template is too large to compile ("
    )
    assert "internal error" not in output
