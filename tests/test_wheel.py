"""A built wheel carries the templates, and an installed kontrakt finds them.

Built from this checkout with the project's own build backend, installed into a
scratch folder, imported from there (not from the editable install).
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(out),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("kontrakt-*.whl")
    return built


def test_wheel_contains_templates_inside_the_package(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    templates = sorted(n for n in names if n.startswith("kontrakt/templates/"))
    folder = REPO / "templates"
    expected = sorted(
        f"kontrakt/templates/{p.relative_to(folder).as_posix()}"
        for p in folder.rglob("*")
        if p.is_file()
    )
    assert templates == expected
    assert "kontrakt/cli.py" in names


def test_wheel_carries_every_compiled_catalog(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    catalogs = sorted(n for n in names if n.endswith("/LC_MESSAGES/kontrakt.mo"))
    assert catalogs == [
        "kontrakt/locale/en/LC_MESSAGES/kontrakt.mo",
        "kontrakt/locale/sv/LC_MESSAGES/kontrakt.mo",
    ]


def test_installed_wheel_renders_from_its_own_templates(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    script = (
        "import kontrakt, kontrakt.render.templates as t;"
        "print(kontrakt.__file__);"
        "print(t.templates_dir());"
        "print(t.render('check.md.j2', {'rows': [], 'summary': 'ok'}), end='')"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(target)},
    )
    module_file, templates, rendered = result.stdout.split("\n", 2)
    assert Path(module_file).is_relative_to(target)
    assert Path(templates) == target / "kontrakt" / "templates"
    assert rendered == "### kontrakt check\n\nok\n"
