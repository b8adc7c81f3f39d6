"""Jinja templates: found in the installed package or the source checkout, run sandboxed.

`templates/` lives at the top of the repository for people to read and edit;
the wheel carries it as `kontrakt/templates`. Templates render in a sandbox with
undefined names as errors. User text is only ever data, never template source,
and every `{{ … }}` is Markdown-escaped on output unless the value is marked as
`Markdown` (already escaped, or built by kontrakt such as a diagram).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kontrakt.render.markdown import Markdown, escape_inline

if TYPE_CHECKING:
    from jinja2.sandbox import SandboxedEnvironment


class TemplateProblem(Exception):
    """A template that cannot be found or rendered; the message says which and where."""


def templates_dir() -> Path:
    """The bundled templates: inside the installed package, else the source checkout."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "templates", package.parent.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise TemplateProblem("kontrakt's templates are missing from this installation")


def _finalize(value: object) -> object:
    if type(value) is str:
        return escape_inline(value)  # most values: text from the portfolio
    if isinstance(value, Markdown) or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    return escape_inline(value)


def render(
    name: str,
    context: dict[str, Any],
    template_path: Path | None = None,
) -> str:
    """Render a bundled template by name, or the user's own template file.

    A user's template may include or import the bundled ones by name.
    """
    from jinja2 import FileSystemLoader, StrictUndefined, TemplateError

    search = [templates_dir()]
    if template_path is not None:
        search.insert(0, template_path.parent)
        name = template_path.name
    environment = _sandbox()(
        loader=FileSystemLoader(search),
        undefined=StrictUndefined,
        autoescape=False,
        finalize=_finalize,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["md"] = escape_inline
    try:
        return environment.get_template(name).render(**context)
    except TemplateError as exc:
        line = getattr(exc, "lineno", None) or _template_line(exc)
        where = f" (line {line})" if line else ""
        raise TemplateProblem(f"template {name}{where}: {exc.message or exc}") from None


@cache
def _sandbox() -> type[SandboxedEnvironment]:
    """Jinja's sandbox, reading `item.title` on a plain dict as its key first.

    kontrakt hands templates plain dicts. The sandbox tries the attribute first,
    and for a dict key that is a failed lookup and an exception on every use;
    the key is what `item['title']` gives anyway, which the sandbox allows.
    """
    from jinja2.sandbox import SandboxedEnvironment

    class Sandbox(SandboxedEnvironment):
        def getattr(self, obj: Any, attribute: str) -> Any:
            if type(obj) is dict and attribute in obj:
                return obj[attribute]
            return super().getattr(obj, attribute)

    return Sandbox


def _template_line(exc: BaseException) -> int | None:
    """The template line of a render error: Jinja maps its frames to template lines."""
    line = None
    trace = exc.__traceback__
    while trace is not None:
        if trace.tb_frame.f_code.co_filename.endswith(".j2"):
            line = trace.tb_lineno
        trace = trace.tb_next
    return line
