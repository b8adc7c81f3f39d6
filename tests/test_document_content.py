"""What a secretary needs in the Markdown documents: news with their descriptions,
a news section in the report, the weave only when wanted."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from conftest import write
from kontrakt.cli import app

runner = CliRunner()


def _run(root: Path, *args: str) -> str:
    result = runner.invoke(app, [*args, "-p", str(root)])
    assert result.exit_code == 0, result.output
    return result.stdout


def _with_news(bundled: Path) -> Path:
    write(
        bundled,
        "news/2024-02-27-kommunikation-sociala-medier.yaml",
        "date: 2024-02-27\ntitle: Blerim stöttar kring kommunikation i sociala medier\n"
        "description: |\n  Första raden med *stjärna*.\n  Andra raden.\n",
    )
    return bundled


def test_the_agenda_gives_each_news_item_its_description(bundled: Path) -> None:
    lines = _run(_with_news(bundled), "agenda", "2024-02-27").splitlines()
    start = lines.index("## Nytt på Samhällskontraktet")
    assert lines[start : start + 7] == [
        "## Nytt på Samhällskontraktet",
        "",
        "- Blerim stöttar kring kommunikation i sociala medier",
        "",
        "  Första raden med \\*stjärna\\*. Andra raden.",
        "- Öppen verkstad, två tillfällen med fokus Välmående självständiga äldre",
        "",
    ]


def test_the_report_has_the_news_of_its_window_newest_first(bundled: Path) -> None:
    write(bundled, "news/2023-11-01-gammal.yaml", "date: 2023-11-01\ntitle: Gammal nyhet\n")
    lines = _run(_with_news(bundled), "report", "--as-of", "2024-02-27").splitlines()
    start = lines.index("## Nyheter")
    end = lines.index("## Portföljens väv")
    assert lines[start:end] == [
        "## Nyheter",
        "",
        "- **2024-02-27:** Öppen verkstad, två tillfällen med fokus Välmående självständiga äldre",
        "- **2024-02-27:** Blerim stöttar kring kommunikation i sociala medier",
        "",
        "  Första raden med \\*stjärna\\*. Andra raden.",
        "",
    ]  # 2023-11-01 is more than 60 days before: not in the window
    older = _run(bundled, "report", "--as-of", "2024-02-27", "--days", "200").splitlines()
    assert "- **2023-11-01:** Gammal nyhet" in older


def test_the_weave_is_drawn_unless_left_out(bundled: Path) -> None:
    drawn = _run(bundled, "report", "--as-of", "2024-02-27")
    assert "## Portföljens väv\n\n```mermaid\nflowchart LR\n" in drawn
    plain = _run(bundled, "report", "--as-of", "2024-02-27", "--no-diagram")
    assert "mermaid" not in plain and "Portföljens väv" not in plain
    assert plain.replace("\n\n## Initiativ\n", "") == drawn[: drawn.index("\n\n## Portföljens")] + (
        drawn[drawn.index("\n\n## Initiativ\n") :].replace("\n\n## Initiativ\n", "", 1)
    )
