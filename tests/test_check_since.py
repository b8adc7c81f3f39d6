"""`check --strict --since REV`: a known warning passes, a new or worse one fails."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import BUNDLED, git
from kontrakt.cli import app

runner = CliRunner()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    import shutil

    top = tmp_path / "repo"
    top.mkdir()
    git(top, "init", "-q", "-b", "main")
    shutil.copytree(BUNDLED, top / "portfolio")
    git(top, "add", "-A")
    git(top, "commit", "-qm", "base")
    return top


def _check(repo: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["check", str(repo / "portfolio"), "--strict", *args])
    return result.exit_code, result.stdout, result.stderr


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_known_overshoot_passes_and_is_still_reported(repo: Path) -> None:
    code, out, err = _check(repo)
    assert code == 1 and "[frame-exceeded]" in out
    code, out, err = _check(repo, "--since", "HEAD")
    assert code == 0
    assert "[frame-exceeded]" in out
    assert err == "kontrakt: 1 warning was there at HEAD already; only new warnings fail\n"


def test_lines_moving_do_not_make_a_known_warning_new(repo: Path) -> None:
    settings = repo / "portfolio" / "kontrakt.yaml"
    settings.write_text("# a comment on top\n\n" + settings.read_text(encoding="utf-8"))
    code, out, _err = _check(repo, "--since", "HEAD")
    assert code == 0
    assert "kontrakt.yaml:64:13: warning:" in out  # two lines further down than at HEAD


def test_a_worse_overshoot_fails(repo: Path) -> None:
    _replace(repo / "portfolio/budget/maltider-och-moten.yaml", "amount: 100000", "amount: 150000")
    code, out, err = _check(repo, "--since", "HEAD")
    assert code == 1
    assert "exceeds the frame 797\xa0500\xa0kr by 152\xa0500\xa0kr [frame-exceeded]" in out
    assert err == ""


def test_a_new_warning_fails_and_the_base_can_be_a_branch(repo: Path) -> None:
    git(repo, "checkout", "-q", "-b", "change")
    _replace(repo / "portfolio/initiatives/salus-mea.yaml", "status: ongoing", "status: completed")
    git(repo, "commit", "-qam", "change")
    code, out, err = _check(repo, "--since", "main")
    assert code == 1
    assert "salus-mea.yaml:2:9: warning: status is completed but the latest history" in out
    assert err == "kontrakt: 1 warning was there at main already; only new warnings fail\n"
    assert _check(repo, "--since", "HEAD")[0] == 0  # once committed, it is known


def test_errors_always_fail(repo: Path) -> None:
    (repo / "portfolio/initiatives/x.yaml").write_text("titel: x\n", encoding="utf-8")
    assert _check(repo, "--since", "HEAD")[0] == 1
    assert runner.invoke(app, ["check", str(repo / "portfolio"), "--since", "HEAD"]).exit_code == 1


def test_before_the_first_commit_every_warning_is_new(tmp_path: Path) -> None:
    import shutil

    top = tmp_path / "fresh"
    top.mkdir()
    git(top, "init", "-q")
    shutil.copytree(BUNDLED, top / "portfolio")
    code, _out, err = _check(top, "--since", "HEAD")
    assert (code, err) == (1, "")


def test_an_unknown_revision_is_a_usage_error(repo: Path) -> None:
    code, out, err = _check(repo, "--since", "no-such-branch")
    assert (code, out) == (2, "")
    assert err == "kontrakt: unknown revision 'no-such-branch'\n"


def test_a_smaller_overshoot_passes(repo: Path) -> None:
    """The team cut a proposal: the frame is still overshot, by less. Not worse: known."""
    _replace(repo / "portfolio/budget/trygghetslosning.yaml", "amount: 260000", "amount: 200000")
    code, out, err = _check(repo, "--since", "HEAD")
    assert code == 0
    assert "by 42\xa0500\xa0kr [frame-exceeded]" in out
    assert err == "kontrakt: 1 warning was there at HEAD already; only new warnings fail\n"


def test_a_warning_about_another_frame_is_new(repo: Path) -> None:
    """Forgiving the pilot frame's overshoot forgives no other frame's."""
    _replace(repo / "portfolio/kontrakt.yaml", "amount: 1310000", "amount: 500000")
    code, out, _err = _check(repo, "--since", "HEAD")
    assert code == 1
    assert "ordinarie budget 2024: decided + proposed" in out


def test_a_known_warning_of_a_date_after_today_is_known(repo: Path) -> None:
    """The base revision is checked as of the same today as the work tree, so spending
    dated after today that the base had already is known, not new."""
    from datetime import date, timedelta

    later = date.today() + timedelta(days=30)
    line = repo / "portfolio/budget/trygghetslosning.yaml"
    line.write_text(
        line.read_text(encoding="utf-8") + f"spent:\n  - {{date: {later}, amount: 1000}}\n",
        encoding="utf-8",
    )
    git(repo, "commit", "-qam", "spent, dated ahead")
    code, out, err = _check(repo, "--since", "HEAD")
    assert code == 0
    assert "[spending-future]" in out
    assert err == "kontrakt: 2 warnings were there at HEAD already; only new warnings fail\n"
