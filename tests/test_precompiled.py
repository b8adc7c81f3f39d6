"""The bundled templates' compiled code, kept when kontrakt is set up (render/precompiled.py).

A document rendered from the kept code is the one compiled afresh, byte for byte;
a template changed since is compiled anew, not served stale; and a run writes
nothing there.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from jinja2 import Environment
from typer.testing import CliRunner

from conftest import BUNDLED
from kontrakt.cli import app
from kontrakt.render import precompiled, templates

runner = CliRunner()


def _documents(folder: Path) -> dict[str, str]:
    """The agenda and the report, as Markdown and as HTML, as the commands make them."""
    made: dict[str, str] = {}
    for document, args in (
        ("agenda", ["agenda", "2024-02-27"]),
        ("report", ["report", "--as-of", "2024-02-27"]),
    ):
        result = runner.invoke(app, [*args, "-p", str(BUNDLED)])
        assert result.exit_code == 0, result.output
        made[f"{document}.md"] = result.stdout
        html = folder / f"{document}.html"
        result = runner.invoke(
            app, [*args, "-p", str(BUNDLED), "--format", "html", "-o", str(html)]
        )
        assert result.exit_code == 0, result.output
        made[f"{document}.html"] = html.read_text(encoding="utf-8")
    return made


def _compiles_counted(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """The names of the templates Jinja compiles from here on, in order."""
    compiled: list[str | None] = []
    compile_source = Environment.compile

    def counted(self: Environment, source: str, name: str | None = None, *args: Any) -> Any:
        compiled.append(name)
        return compile_source(self, source, name, *args)

    monkeypatch.setattr(Environment, "compile", counted)
    return compiled


def _files(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.is_file())


def test_documents_from_kept_code_are_the_documents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(precompiled, "FOLDER", tmp_path / "none")
    afresh = _documents(tmp_path)
    assert not (tmp_path / "none").exists()  # a run writes nothing
    monkeypatch.setattr(precompiled, "FOLDER", tmp_path / "kept")
    counts = precompiled.compile_bundled()
    assert counts["markdown"] >= 10 and counts["html"] >= 20
    kept = {path: path.read_bytes() for path in _files(tmp_path / "kept")}
    assert len(kept) == counts["markdown"] + counts["html"]
    compiled = _compiles_counted(monkeypatch)
    assert _documents(tmp_path) == afresh
    assert compiled == []  # every template came from the kept code
    assert {path: path.read_bytes() for path in _files(tmp_path / "kept")} == kept


def test_a_template_changed_since_is_compiled_anew(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "templates"
    shutil.copytree(templates.templates_dir(), copy)
    monkeypatch.setattr(templates, "templates_dir", lambda: copy)
    monkeypatch.setattr(precompiled, "FOLDER", tmp_path / "kept")
    precompiled.compile_bundled()
    before = _documents(tmp_path)["report.md"]
    source = copy / "report.md.j2"
    source.write_text(source.read_text(encoding="utf-8") + "Tillagt efteråt.\n", encoding="utf-8")
    assert _documents(tmp_path)["report.md"] == before + "Tillagt efteråt.\n"


def test_code_kept_from_another_compiler_is_compiled_anew(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Kept code depends on kontrakt's compiler (sandbox.py), not only on the
    template: code kept before the compiler changed is not served."""
    monkeypatch.setattr(precompiled, "FOLDER", tmp_path / "kept")
    monkeypatch.setattr(precompiled, "GENERATED_BY", "an older compiler")
    precompiled.compile_bundled()
    monkeypatch.setattr(precompiled, "GENERATED_BY", "this compiler")
    compiled = _compiles_counted(monkeypatch)
    _documents(tmp_path)
    assert "report.html.j2" in compiled and "report.md.j2" in compiled
