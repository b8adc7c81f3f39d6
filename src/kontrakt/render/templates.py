"""Jinja templates: found in the installed package or the source checkout, run sandboxed.

`templates/` lives at the top of the repository for people to read and edit;
the wheel carries it as `kontrakt/templates`. Templates render in a sandbox
with undefined names as errors, and user text is only ever data, never source.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kontrakt.render.markdown import escape_inline


def templates_dir() -> Path:
    """The bundled templates: inside the installed package, else the source checkout."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "templates", package.parent.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("kontrakt's templates are missing from this installation")


def render(name: str, context: dict[str, Any], template_path: Path | None = None) -> str:
    """Render a bundled template by name, or the user's own template file."""
    from jinja2 import FileSystemLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    folder, file_name = (
        (template_path.parent, template_path.name)
        if template_path is not None
        else (templates_dir(), name)
    )
    environment = SandboxedEnvironment(
        loader=FileSystemLoader(folder),
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["md"] = escape_inline
    return environment.get_template(file_name).render(**context)
