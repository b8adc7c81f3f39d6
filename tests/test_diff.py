"""`kontrakt diff` over a temporary git repository with commits that touch each kind."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import BUNDLED, REPO, git, write
from kontrakt.cli import app
from kontrakt.i18n import gettext, speaking
from markdown_checks import assert_valid_markdown

runner = CliRunner()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose main branch holds the bundled portfolio."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    shutil.copytree(BUNDLED, root / "portfolio")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    return root


def diff(repo: Path, *args: str) -> str:
    result = runner.invoke(app, ["diff", *args, "-p", str(repo / "portfolio"), "-f", "markdown"])
    assert result.exit_code == 0, result.output
    assert_valid_markdown(result.output)
    return result.output


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_no_change(repo: Path) -> None:
    assert diff(repo).endswith("\nInga ändringar i portföljen.\n")


def test_working_tree_against_main(repo: Path) -> None:
    portfolio = repo / "portfolio"
    _edit(portfolio / "initiatives/servicetjanster.yaml", "status: upcoming", "status: ongoing")
    _edit(
        portfolio / "budget/civilsamhallet-som-partner.yaml",
        "decision: proposed",
        "decision: decided",
    )
    _edit(
        portfolio / "events/oppen-verkstad-samarbete-for-samhallsnytta.yaml",
        "date: 2024-04-19",
        "date: 2024-04-26",
    )
    (portfolio / "initiatives/kug-sjalvstandigt-liv.yaml").unlink()
    git(
        repo,
        "mv",
        "portfolio/initiatives/halsoekonomi.yaml",
        "portfolio/initiatives/halsoekonomi-ide.yaml",
    )
    _edit(portfolio / "initiatives/halsoekonomi-ide.yaml", "status: idea", "status: upcoming")
    write(
        portfolio,
        "initiatives/digital-inkludering.yaml",
        "title: Digital inkludering\nstatus: idea\n",
    )
    write(
        portfolio,
        "budget/digital.yaml",
        "title: Digital inkludering\namount: 50000\n"
        "category: ordinarie\nperiod: 2024\ninitiatives: [digital-inkludering]\n",
    )
    (portfolio / "budget/servicetjanster.yaml").unlink()
    _edit(
        portfolio / "questions/salus-mea-trygghetslarm.yaml",
        "raised: 2024-02-27",
        "raised: 2024-02-27\nanswer: Ja, i april.\nanswered: 2024-03-26",
    )
    write(
        portfolio,
        "questions/lokal.yaml",
        "title: Lokal för maj?\nto: Västerås stad\nraised: 2024-03-26\n",
    )
    write(
        portfolio,
        "events/maj.yaml",
        "title: Öppen verkstad i maj\nkind: oppen-verkstad\ndate: 2024-05-20\ncity: Västerås\n",
    )
    _edit(
        portfolio / "meetings/2024-02-27-core-team.yaml",
        "communication:",
        "decisions:\n  - text: Servicetjänster startar\n    initiatives: [servicetjanster]\n"
        "communication:",
    )
    write(portfolio, "news/2024-03-01-ny.yaml", "date: 2024-03-01\ntitle: Ny nyhet\n")
    (portfolio / "news/2024-02-27-kommunikation-sociala-medier.yaml").unlink()
    write(portfolio, "meetings/2024-03-26-core-team.yaml", "date: 2024-03-26\nkind: core-team\n")
    base = git(repo, "rev-parse", "--short=7", "HEAD").strip()
    assert diff(repo) == (
        f"## Portföljen: main ({base}) → arbetskopian\n"
        f"\n{_merge_base_note('main')}\n"
        "\n### Initiativ\n\n"
        "- **Nytt:** Digital inkludering (idéer framåt)\n"
        "- **Borttaget:** KUG självständigt liv\n"
        "- **Nytt namn:** Hälsoekonomi?: halsoekonomi.yaml → halsoekonomi-ide.yaml\n"
        "- **Status:** Hälsoekonomi?: Idéer framåt → På gång\n"
        "- **Status:** Servicetjänster – kommunens nya roll i servicelandskapet: På gång → "
        "Pågående\n"
        "\n### Budget\n\n"
        "- **Ny rad:** Digital inkludering, 50\u00a0000\u00a0kr (ordinarie budget), föreslagen\n"
        "- **Ändrad rad:** Civilsamhället som partner: 540\u00a0000\u00a0kr (pilotbudget), "
        "föreslagen → 540\u00a0000\u00a0kr (pilotbudget), beslutad\n"
        "- **Borttagen rad:** Servicetjänster, 200\u00a0000\u00a0kr\n"
        "\n"
        "| Kategori | Ram | Beslutat | Föreslaget | Kvar | Kvar inkl. förslag | Ändring |\n"
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n"
        "| Ordinarie budget | 1\u00a0310\u00a0000\u00a0kr | 0\u00a0kr → 0\u00a0kr | "
        "560\u00a0000\u00a0kr → 610\u00a0000\u00a0kr | "
        "1\u00a0310\u00a0000\u00a0kr → 1\u00a0310\u00a0000\u00a0kr | "
        "750\u00a0000\u00a0kr → 700\u00a0000\u00a0kr | +50\u00a0000\u00a0kr |\n"
        "| Pilotbudget | 797\u00a0500\u00a0kr | 260\u00a0000\u00a0kr → 800\u00a0000\u00a0kr | "
        "640\u00a0000\u00a0kr → 100\u00a0000\u00a0kr | "
        "537\u00a0500\u00a0kr → -2\u00a0500\u00a0kr | "
        "-102\u00a0500\u00a0kr → -102\u00a0500\u00a0kr | 0\u00a0kr |\n"
        "| Utan kategori | – | 0\u00a0kr → 0\u00a0kr | 200\u00a0000\u00a0kr → 0\u00a0kr | "
        "– → – | – → – | -200\u00a0000\u00a0kr |\n"
        "\n### Händelser\n\n"
        "- **Ny:** Öppen verkstad i maj, 2024-05-20, Västerås\n"
        "- **Flyttad:** Öppen verkstad - Samarbete för samhällsnytta: 2024-04-19 "
        "08:30–14:00, Plaza hotell, Västerås → 2024-04-26 08:30–14:00, Plaza hotell, "
        "Västerås\n"
        "\n### Nyheter\n\n"
        "- **Ny:** Ny nyhet (2024-03-01)\n"
        "- **Borttagen:** Blerim stöttar kring kommunikation i sociala medier (2024-02-27)\n"
        "\n### Möten\n\n"
        "- **Ny:** Core team-möte 2024-03-26\n"
        "\n### Frågor\n\n"
        "- **Ny fråga:** Lokal för maj? (till Västerås stad)\n"
        "- **Besvarad:** Salus mea trygghetslarm: Ja, i april.\n"
        "\n### Beslut\n\n"
        "- Civilsamhället som partner\n"
        "- Servicetjänster startar (2024-02-27)\n"
    )
    assert git(repo, "status", "--porcelain") != ""  # the work tree is as the test left it


def _merge_base_note(branch: str) -> str:
    """The line under the heading that says which base `diff` chose, in Swedish."""
    with speaking("sv"):
        message = gettext(
            "Base: the merge base of HEAD with %(branch)s; `kontrakt diff BASE` compares with "
            "another revision."
        )
    return message % {"branch": branch}


def test_two_revisions_without_touching_the_work_tree(repo: Path) -> None:
    portfolio = repo / "portfolio"
    write(portfolio, "initiatives/ny.yaml", "title: Ny\nstatus: idea\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "ny")
    _edit(portfolio / "initiatives/ny.yaml", "title: Ny", "title: Ny, ändrad")
    before = (portfolio / "initiatives/ny.yaml").read_text(encoding="utf-8")
    text = diff(repo, "HEAD~1", "HEAD")
    assert (
        text == "## Portföljen: HEAD\\~1 → HEAD\n\n### Initiativ\n\n- **Nytt:** Ny (idéer framåt)\n"
    )
    assert (portfolio / "initiatives/ny.yaml").read_text(encoding="utf-8") == before


def test_a_side_with_errors_reports_them_instead(repo: Path) -> None:
    write(repo / "portfolio", "initiatives/trasig.yaml", "title: [\n")
    text = diff(repo)
    assert "### Fel i arbetskopian\n\n- portfolio/initiatives/trasig.yaml:2:1: YAML syntax" in text
    assert text.endswith("Ingen jämförelse: rätta felen ovan först (`kontrakt check`).\n")


def test_a_broken_base_is_reported_too(repo: Path) -> None:
    write(repo / "portfolio", "budget/trasig.yaml", "title: T\namount: 1,5 mnkr\nperiod: 2024\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "trasig")
    (repo / "portfolio/budget/trasig.yaml").unlink()
    text = diff(repo, "HEAD")
    assert "### Fel i HEAD\n\n- HEAD:portfolio/budget/trasig.yaml:2:9: '1,5 mnkr' has decimals" in (
        text
    )


def test_unknown_revision_and_no_repository(repo: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["diff", "nope", "-p", str(repo / "portfolio")])
    assert (result.exit_code, result.output) == (2, "kontrakt: unknown revision 'nope'\n")
    outside = tmp_path / "utanfor"
    shutil.copytree(BUNDLED, outside)
    result = runner.invoke(app, ["diff", "-p", str(outside)])
    assert result.exit_code == 2
    assert "not a git repository" in result.output


def test_an_event_whose_last_day_moves_is_moved(repo: Path) -> None:
    write(
        repo / "portfolio",
        "events/kurs.yaml",
        "title: Kurs\nkind: oppen-verkstad\ndate: 2024-05-06\nend_date: 2024-05-07\n",
    )
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "kurs")
    _edit(repo / "portfolio/events/kurs.yaml", "end_date: 2024-05-07", "end_date: 2024-05-08")
    moved = "- **Flyttad:** Kurs: 2024-05-06–2024-05-07 → 2024-05-06–2024-05-08\n"
    assert moved in diff(repo, "HEAD")


# --- the two sides share what they can (load.Reuse) -----------------------------------


def _changes_of_every_kind(repo: Path) -> None:
    """A commit that renames, reprices, decides, adds, removes, moves and breaks
    nothing: one file of each kind touched, the rest as it was."""
    folder = repo / "portfolio"
    _edit(folder / "initiatives" / "salus-mea.yaml", "status: ongoing", "status: completed")
    _edit(folder / "budget" / "servicetjanster.yaml", "amount: 200000", "amount: 250000")
    (folder / "questions" / "salus-mea-trygghetslarm.yaml").unlink()
    write(folder, "news/2024-03-01-ny.yaml", "title: Ny nyhet\ndate: 2024-03-01\n")
    write(folder, "initiatives/ny-pilot.yaml", "title: Ny pilot\nstatus: idea\n")


def test_each_distinct_file_is_parsed_once_and_the_diff_is_the_same(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both revisions loaded with one Reuse give the very diff two separate loads
    give, and a file both hold unchanged is parsed once: the parses are exactly
    the distinct (path, bytes) pairs of the two sides."""
    from kontrakt import comparison, load, revisions
    from kontrakt.views.diff import compare

    _changes_of_every_kind(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "change")
    made: list[load.Reuse] = []

    def counted() -> load.Reuse:
        made.append(load.Reuse())
        return made[-1]

    monkeypatch.setattr(comparison, "Reuse", counted)
    asked: list[str] = []
    cat = revisions._cat

    def counted_cat(top: Path, shas: list[str]) -> list[tuple[str, bytes]]:
        asked.extend(shas)
        return cat(top, shas)

    monkeypatch.setattr(revisions, "_cat", counted_cat)
    shared = comparison.compare_revisions(repo / "portfolio", "HEAD~1", "HEAD")
    (reuse,) = made
    # Each folder and file git holds for either side is read from git once.
    assert len(asked) == len(set(asked))
    both = {
        sha
        for revision in ("HEAD~1", "HEAD")
        for sha in [
            git(repo, "rev-parse", f"{revision}:portfolio").strip(),
            *(
                line.split()[2]
                for line in git(repo, "ls-tree", "-r", "-t", revision, "portfolio").splitlines()
            ),
        ]
    }
    assert set(asked) == both

    def side(revision: str) -> dict[str, bytes]:
        names = git(repo, "ls-tree", "-r", "--name-only", revision, "portfolio").splitlines()
        return {
            name.removeprefix("portfolio/"): subprocess.run(
                ["git", "show", f"{revision}:{name}"], cwd=repo, capture_output=True, check=True
            ).stdout
            for name in names
            if name.endswith(".yaml") and name != "portfolio/kontrakt.yaml"
        }

    before, after = side("HEAD~1"), side("HEAD")
    distinct = {(name, data) for name, data in [*before.items(), *after.items()]}
    assert reuse.parses == len(distinct) == len(before) + 4  # 2 changed and 2 new
    # The same result as each side loaded on its own.
    settings = (repo / "portfolio" / "kontrakt.yaml").read_bytes()
    alone = [
        load.load_portfolio(Path("portfolio"), {**files, "kontrakt.yaml": settings})
        for files in (before, after)
    ]
    old, new = (result.portfolio for result in alone)
    assert old is not None and new is not None
    assert shared.changes == compare(old, new)
    changes = shared.changes
    assert changes is not None  # and every kind of change is in it:
    assert [c.id for c in changes.initiatives_added] == ["ny-pilot"]
    assert [c.id for c in changes.status_changes] == ["salus-mea"]
    assert [c.id for c in changes.budget_changed] == ["servicetjanster"]
    assert [c.id for c in changes.news_added] == ["2024-03-01-ny"]
    assert changes.categories
    assert [d for s in (shared.before, shared.after) for d in s.result.diagnostics] == [
        d for result in alone for d in result.diagnostics
    ]


def test_totals_follow_a_frame_or_a_meeting_s_decision_alone(repo: Path) -> None:
    """The totals by category change with the frames (kontrakt.yaml) or a meeting's
    decision even where no budget line's file changes."""
    portfolio = repo / "portfolio"
    _edit(portfolio / "budget/civilsamhallet-som-partner.yaml", "decision: proposed\n", "")
    git(repo, "commit", "-qam", "the line's decision left to a meeting")
    _edit(portfolio / "kontrakt.yaml", "amount: 797500", "amount: 900000")
    git(repo, "commit", "-qam", "a larger pilot frame")
    assert (
        "| Pilotbudget | 900 000 kr | 260 000 kr → 260 000 kr | 640 000 kr → 640 000 kr | "
        "537 500 kr → 640 000 kr | -102 500 kr → 0 kr |"
    ) in diff(repo, "HEAD~1", "HEAD").replace("\xa0", " ")
    meeting = portfolio / "meetings/2024-02-27-core-team.yaml"
    meeting.write_text(
        meeting.read_text(encoding="utf-8")
        + "decisions:\n  - text: Civilsamhället som partner beslutas\n"
        + "    gate: continue\n    budget: [civilsamhallet-som-partner]\n",
        encoding="utf-8",
    )
    git(repo, "commit", "-qam", "decided at the meeting")
    assert (
        "| Pilotbudget | 900 000 kr | 260 000 kr → 800 000 kr | 640 000 kr → 100 000 kr | "
        "640 000 kr → 100 000 kr | 0 kr → 0 kr |"
    ) in diff(repo, "HEAD~1", "HEAD").replace("\xa0", " ")


@pytest.mark.usefixtures("messages_in_portfolio_language")
def test_a_parse_reused_under_another_language_is_said_in_that_language() -> None:
    """A load reusing another's parses (diff's two sides, an edit's check) says a
    file's problems in the language its own kontrakt.yaml asks for: a parse made
    while another language spoke is not reused (kontrakt.yaml changed from sv to
    en, with the same locale for numbers)."""
    from kontrakt import load

    root = REPO / "tests" / "fixtures" / "bad" / "mixed" / "portfolio"
    english = (
        (root / "kontrakt.yaml")
        .read_bytes()
        .replace(b"language: sv", b"language: en\nlocale: sv_SE")
    )
    first = load.load_portfolio(root, reuse=load.Reuse())

    def broken_yaml(result: load.LoadResult) -> list[str]:
        return [d.message for d in result.diagnostics if d.path.name == "verkstad.yaml"]

    reused = load.load_changed(root, {"kontrakt.yaml": english}, reuse=first.reuse)
    fresh = load.load_changed(root, {"kontrakt.yaml": english})
    assert broken_yaml(first)[0].startswith("YAML-syntaxfel")
    assert broken_yaml(reused) == broken_yaml(fresh)
    assert broken_yaml(reused)[0].startswith("YAML syntax error")
