"""Shared fixtures: a fresh copy of the bundled portfolio, and small helpers."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from kontrakt import i18n
from kontrakt.load import LoadResult, load_portfolio

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "portfolio"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

MINIMAL_SETTINGS = """\
name: Test
mission: Testa allt
language: sv
organisations:
  mdu: Mälardalens universitet
vocabularies:
  kinds:
    pilot: Pilot
  categories:
    ordinarie: Ordinarie budget
    pilot: Pilotbudget
  purposes:
    konsult: Konsult
  event_kinds:
    oppen-verkstad: Öppen verkstad
  meeting_kinds:
    core-team: Core team-möte
  relations:
    relaterad: Relaterad
frames:
  - category: pilot
    period: 2024
    amount: 797500
"""


# Messages in English, the language they are written in, whatever the portfolio's
# language: as `--lang en` (KONTRAKT_LANG=en) asks for, from the start of the
# session (module-scoped fixtures load portfolios too). Tests of the translated
# messages use the fixture `messages_in_portfolio_language`.
os.environ["KONTRAKT_LANG"] = "en"
i18n.ask_for("en")


@pytest.fixture(autouse=True)
def english_messages() -> Iterator[None]:
    """Each test starts and ends with English messages, whatever it asked for."""
    i18n.reset()
    i18n.ask_for("en")
    yield
    i18n.reset()
    i18n.ask_for("en")


@pytest.fixture
def messages_in_portfolio_language(monkeypatch: pytest.MonkeyPatch) -> None:
    """No language asked for: messages come in the portfolio's language."""
    monkeypatch.delenv("KONTRAKT_LANG")
    i18n.ask_for(None)


@pytest.fixture
def bundled(tmp_path: Path) -> Path:
    """A writable copy of the real portfolio."""
    target = tmp_path / "portfolio"
    shutil.copytree(BUNDLED, target)
    return target


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    """A tiny valid portfolio: settings and one initiative."""
    root = tmp_path / "mini"
    write(root, "kontrakt.yaml", MINIMAL_SETTINGS)
    write(root, "initiatives/alfa.yaml", "title: Alfa\nstatus: ongoing\nkind: pilot\n")
    return root


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def lines(result: LoadResult, root: Path) -> list[str]:
    """Diagnostics as `relative/path:line:col: severity: message [rule]`."""
    return [
        f"{d.path.relative_to(root).as_posix()}:{d.line}:{d.column}: "
        f"{d.severity.value}: {d.message} [{d.rule}]"
        for d in result.diagnostics
    ]


def check(root: Path) -> list[str]:
    return lines(load_portfolio(root), root)


def git(repo: Path, *args: str, stdin: bytes | None = None) -> str:
    """Run git in `repo` as a test user; what it printed, stripped."""
    done = subprocess.run(
        ["git", "-c", "user.email=test@example.org", "-c", "user.name=Test", *args],
        cwd=repo,
        input=stdin,
        capture_output=True,
        check=True,
    )
    return done.stdout.decode("utf-8", "replace").strip()


# Where `make test` installs axe-core and playwright-core (the Makefile's NPM_TOOLS).
NODE_MODULES = REPO / ".venv" / "npm" / "node_modules"


def in_chromium(script: Path, *args: str, timeout: int) -> list[dict[str, object]]:
    """Run a node script of tests/ that drives the machine's own headless Chromium
    (tests/axe.js, tests/site_browser.js) with NODE_MODULES and `args`; its JSON.

    What it needs is asserted, never skipped: CI installs all of it (.ci/run)."""
    import json

    node = shutil.which("node")
    assert node, "node is needed for the browser checks (see the Makefile)"
    assert (NODE_MODULES / "axe-core").is_dir(), "axe-core is missing: run `make test`"
    assert (NODE_MODULES / "playwright-core").is_dir(), "playwright-core is missing"
    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium")
    assert chromium, "Chromium is needed: .ci/run installs Debian's chromium"
    done = subprocess.run(
        [node, str(script), str(NODE_MODULES), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "CHROMIUM": chromium},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    results: list[dict[str, object]] = json.loads(done.stdout)
    return results
