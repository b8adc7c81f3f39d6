"""The floor of kontrakt's stack: the least a Typer command that validates with Pydantic costs.

A command with kontrakt's kinds of parameters (a folder argument, a folder
option, a choice, a flag) that validates one small Pydantic model and exits.
Typer 0.2x builds a Pydantic validator for each parameter when it parses the
command line, so every Typer command with options already loads Pydantic's
model machinery; this script measures that, with nothing of kontrakt in it.

    python bench/stack.py check PATH
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from pydantic import BaseModel

app = typer.Typer(add_completion=False)


class Format(StrEnum):
    text = "text"
    json = "json"


class Entity(BaseModel):
    title: str
    amount: int = 0


@app.command()
def check(
    path: Annotated[Path | None, typer.Argument()] = None,
    portfolio: Annotated[Path | None, typer.Option("--portfolio")] = None,
    output_format: Annotated[Format, typer.Option("--format")] = Format.text,
    strict: Annotated[bool, typer.Option("--strict")] = False,
) -> None:
    Entity.model_validate({"title": str(path or portfolio), "amount": int(strict)})


@app.command()
def other() -> None:
    """A second command, so `check` is a subcommand as in kontrakt."""


if __name__ == "__main__":
    app()
