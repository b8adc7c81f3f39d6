"""Jinja templates: found in the installed package or the source checkout, run sandboxed.

`templates/` lives at the top of the repository for people to read and edit;
the wheel carries it as `kontrakt/templates`. Templates render in a sandbox with
undefined names as errors. User text is only ever data, never template source,
and every `{{ … }}` is Markdown-escaped on output unless the value is marked as
`Markdown` (already escaped, or built by kontrakt such as a diagram).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from kontrakt.errors import ProblemFound
from kontrakt.render.markdown import Markdown, escape_inline


class TemplateProblem(ProblemFound):
    """A template that cannot be found or rendered; the message says which and where."""


def templates_dir() -> Path:
    """The bundled templates: inside the installed package, else the source checkout."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "templates", package.parent.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise TemplateProblem("kontrakt's templates are missing from this installation")


def sandboxed(
    loader: Any,
    guard: Any,
    filters: dict[str, Any],
    *,
    autoescape: bool,
    finalize: Callable[[Any], Any],
    kind: str,
    shown: Callable[[Any], str] | None = None,
) -> Any:
    """The guarded sandbox every document template runs in (Markdown and HTML alike):
    strict about undefined names, Jinja's i18n extension, blocks trimmed as the
    bundled templates are written; what differs is the escaping, and with it the
    `kind` of the code the bundled templates compile to (precompiled.py)."""
    from jinja2 import StrictUndefined

    from kontrakt.render.precompiled import Precompiled
    from kontrakt.render.sandbox import GuardedSandbox

    return GuardedSandbox(
        guard,
        filters,
        shown,
        loader=loader,
        undefined=StrictUndefined,
        autoescape=autoescape,
        finalize=finalize,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
        bytecode_cache=Precompiled(kind),
    )


def render(
    name: str,
    context: dict[str, Any],
    template_path: Path | None = None,
) -> str:
    """Render a bundled template by name, or the user's own template file.

    A user's template may include or import the bundled ones by name, and its
    own neighbours; nothing outside those two folders (see loader.py). Every
    render runs on a budget of time, memory and size (see sandbox.py), and
    whatever goes wrong inside the template ends as a TemplateProblem naming
    the template and its line, never as a traceback.
    """

    from kontrakt.render.loader import ConfinedLoader
    from kontrakt.render.sandbox import Guard, RenderStopped, generate

    loader = ConfinedLoader(templates_dir(), template_path)
    if template_path is not None:
        name = template_path.name
    guard = Guard()
    environment = markdown_environment(loader, guard)
    try:
        with guard.running():
            return generate(environment.get_template(name), context, guard)
    except (Exception, RenderStopped) as exc:  # the template is the user's code: all of it
        raise TemplateProblem(_describe(exc, name, loader.names)) from None


def markdown_environment(loader: Any = None, guard: Any = None) -> Any:
    """The sandbox Markdown documents render in: over the bundled templates (and,
    with the user's `loader`, their own), on `guard`'s budget."""
    from kontrakt.render.loader import ConfinedLoader
    from kontrakt.render.sandbox import Guard, check_printable, check_value

    environment = sandboxed(
        loader if loader is not None else ConfinedLoader(templates_dir(), None),
        guard if guard is not None else Guard(),
        {"md": escape_inline},
        autoescape=False,
        finalize=_finalizer(check_value, check_printable),
        kind="markdown",
    )
    _install_gettext(environment)
    return environment


def _install_gettext(environment: Any) -> None:
    """`_()`, `gettext`, `ngettext`, `pgettext` and `{% trans %}` in the words of the
    language the document is rendered in (render/translate.py)."""
    from kontrakt.render import translate

    translate.install(environment)


def _finalizer(
    check_number: Callable[[object], None], check_printable: Callable[[object], None]
) -> Callable[[object], object]:
    """What every `{{ … }}` prints: Markdown-escaped text, with sizes checked first."""

    def finalize(value: object) -> object:
        if type(value) is str:
            return escape_inline(value)  # most values: text from the portfolio
        if isinstance(value, Markdown):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            if value.bit_length() > 64:  # past any amount: past the limit too?
                check_number(value)
            return value
        check_printable(value)  # a list that holds itself many times prints for ever
        return escape_inline(value)

    return finalize


def _describe(exc: BaseException, name: str, names: dict[str, str]) -> str:
    """`template report.md.j2 (line 3): …`: where a render failed, and why."""
    from jinja2 import TemplateError, TemplateSyntaxError

    where, line = _location(exc, names)
    if isinstance(exc, TemplateSyntaxError) and exc.lineno:
        where, line = exc.name or where, exc.lineno
    if isinstance(exc, TemplateError):
        why = exc.message or type(exc).__name__
    elif isinstance(exc, RecursionError) and line:
        why = "recursion too deep: a macro, include or import that calls itself without end?"
    elif isinstance(exc, RecursionError | SyntaxError):  # Python's, compiling the template
        why = "nested too deeply to compile"
    elif isinstance(exc, MemoryError):
        why = "out of memory"
    elif isinstance(exc, KeyError | IndexError):
        why = f"no item {exc}"
    else:
        why = str(exc) or type(exc).__name__
    return f"template {where or name}{f' (line {line})' if line else ''}: {why}"


def _location(exc: BaseException, names: dict[str, str]) -> tuple[str | None, int | None]:
    """The innermost template and line an exception passed through.

    Jinja rewrites the traceback of the exceptions it catches into frames at
    template lines; a stop raised by the deadline is not caught there, so its
    frames are the compiled template's, mapped back to lines as Jinja would.
    """
    where: str | None = None
    line: int | None = None
    trace = exc.__traceback__
    while trace is not None:
        frame = trace.tb_frame
        template = frame.f_globals.get("__jinja_template__")
        if template is not None:
            where, line = template.name, template.get_corresponding_lineno(trace.tb_lineno)
        elif frame.f_code.co_filename in names:
            where, line = names[frame.f_code.co_filename], trace.tb_lineno
        trace = trace.tb_next
    return where, line
