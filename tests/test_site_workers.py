"""The site's pages made by worker processes (kontrakt/workers.py): the same
files, byte for byte, as made in one process; a page that fails in a worker
fails here as it would without workers; batches stay together."""

from __future__ import annotations

import os
import signal
import sys
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import BUNDLED, REPO
from kontrakt import workers
from kontrakt.cli import app
from kontrakt.load import load_portfolio
from kontrakt.render.site.build import SiteBuild, SiteRequest
from kontrakt.render.site.model import Page

DAY = date(2024, 6, 1)
forking = pytest.mark.skipif(not workers._can_fork(), reason="workers fork, on Linux only")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from generate import generate  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(REPO / "bench"))
    root = tmp_path_factory.mktemp("workers") / "portfolio-600"
    generate(600, root)
    return root


def _build(root: Path) -> SiteBuild:
    result = load_portfolio(root)
    assert result.portfolio is not None and not result.has_errors
    return SiteBuild(SiteRequest(result.portfolio, DAY))


@forking
def test_workers_make_the_same_files(generated: Path) -> None:
    build = _build(generated)
    alone = list(build.files(1))
    apart = list(_build(generated).files(3))
    assert len(alone) == len(build.pages) > 300
    assert dict(apart) == dict(alone)
    assert sorted(path for path, _b in apart) == sorted(build.paths)
    # Run by run: ordinary pages keep their order, a batch comes where it starts.
    ordinary = [page.path for page in build.pages if not page.batch]
    assert [path for path, _b in apart if path in set(ordinary)] == ordinary


@forking
def test_a_page_that_fails_in_a_worker_fails_here(generated: Path) -> None:
    build = _build(generated)
    broken = len(build.pages) // 2

    def fails() -> bytes:
        raise ValueError("page 42 cannot be made")

    build.pages[broken] = Page(build.pages[broken].path, make=fails)
    made = build.files(2)
    with pytest.raises(ValueError, match="page 42 cannot be made"):
        for _path, _content in made:
            pass
    # Stopped, the pool is gone, its workers and its reader with it: nothing is
    # left for the interpreter's exit to wait for (a worker stopped while it sent
    # its results once left the reader, and the exit, waiting for good).
    import multiprocessing
    import threading

    assert multiprocessing.active_children() == []
    assert [t for t in threading.enumerate() if type(t).__name__ == "_ExecutorManagerThread"] == []


@forking
def test_a_worker_that_dies_leaves_its_pages_to_be_made_here(generated: Path) -> None:
    """A worker killed midway (as the system does when memory runs out) ends no
    build and hangs none: the pages not yet made are made here, the same bytes."""
    build = _build(generated)
    alone = dict(_build(generated).files(1))
    parent = os.getpid()
    victim = len(build.pages) // 3
    page = build.pages[victim]
    assert page.template is not None

    def dies_in_a_worker() -> dict[str, object]:
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        assert page.contexts is not None or page.context is not None
        return original()

    original = page.contexts if page.contexts is not None else (lambda: page.context)
    page.contexts = dies_in_a_worker
    signal.alarm(120)  # a hang fails the test instead of the suite
    try:
        apart = dict(build.files(2))
    finally:
        signal.alarm(0)
    assert apart == alone


@forking
def test_the_cli_writes_the_same_site_with_workers(generated: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    common = ["site", "-p", str(generated), "--as-of", DAY.isoformat()]
    one = runner.invoke(app, [*common, "-o", str(tmp_path / "one"), "--jobs", "1"])
    two = runner.invoke(app, [*common, "-o", str(tmp_path / "two"), "-j", "2"])
    assert one.exit_code == two.exit_code == 0, one.output + two.output
    files = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*"))
    assert files == sorted(p.relative_to(tmp_path / "two") for p in (tmp_path / "two").rglob("*"))
    for name in files:
        first, second = tmp_path / "one" / name, tmp_path / "two" / name
        assert first.is_dir() or first.read_bytes() == second.read_bytes(), name


@pytest.mark.parametrize("jobs", ["0", "9", "två", "-1", "2\x1b[0m"])
@pytest.mark.usefixtures("messages_in_portfolio_language")
def test_jobs_takes_a_whole_number(jobs: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["site", "-p", str(BUNDLED), "-o", str(tmp_path / "site"), "--jobs", jobs]
    )
    shown = jobs.replace("\x1b", "\\x1b")
    assert (result.exit_code, result.output) == (
        2,
        f"kontrakt: --jobs tar ett heltal från 1 till 8, inte {shown}\n",
    )
    assert not (tmp_path / "site").exists()


def test_runs_keep_batches_together_and_take_every_page_once() -> None:
    batches = ["", "", "ics", "", "data", "ics"] + [""] * 70 + ["data"]
    runs = workers._runs(batches)
    taken = [index for run in runs for index in run]
    assert sorted(taken) == list(range(len(batches)))
    assert [2, 5] in runs and [4, 76] in runs
    assert all(len(run) <= workers._RUN for run in runs)
    assert runs[0][:3] == [0, 1, 3]  # ordinary pages run on past a batch's page


def test_a_large_job_goes_in_fewer_larger_runs() -> None:
    """Each run is a round trip between processes: a large job is sent in runs of
    up to _MOST_RUN items, still about _RUNS_EACH of them a worker."""
    assert workers.run_size(600, 2) == workers._RUN
    assert workers.run_size(7_378, 2) == workers._MOST_RUN == 256
    assert workers.run_size(10_000, 8) == 10_000 // (8 * workers._RUNS_EACH) == 104
    runs = workers._runs([""] * 7_378, workers.run_size(7_378, 2))
    assert [len(run) for run in runs] == [256] * 28 + [7_378 - 28 * 256]


def test_how_many_workers() -> None:
    assert workers.workers_for(workers.LEAST_ITEMS - 1) == 1
    if workers._can_fork():
        assert workers.workers_for(10, asked=3) == 3
        assert workers.workers_for(10, asked=500) == workers.MOST_WORKERS
        assert 1 <= workers.workers_for(100_000) <= 8
    assert workers.workers_for(10, asked=1) == 1


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="the render timer is POSIX's")
def test_a_run_of_pages_shares_one_render_timer(monkeypatch: pytest.MonkeyPatch) -> None:
    """Setting the render timer up and down for each of thousands of pages cost a
    site a tenth of its rendering: each run of pages sets it once (Guard.session)."""
    result = load_portfolio(BUNDLED)
    assert result.portfolio is not None
    build = SiteBuild(SiteRequest(result.portfolio, DAY))
    set_up: list[tuple[float, ...]] = []
    real = signal.setitimer

    def counted(which: int, seconds: float, interval: float = 0.0) -> tuple[float, float]:
        set_up.append((seconds, interval))
        return real(which, seconds, interval)

    monkeypatch.setattr(signal, "setitimer", counted)
    made = dict(build.files(1))
    runs = -(-len(build.pages) // workers._RUN)
    assert len(made) == len(build.pages) > workers._RUN
    assert len(set_up) == 2 * runs  # on and off, once a run


@forking
def test_workers_write_a_rebuild_as_one_process_does(generated: Path, tmp_path: Path) -> None:
    """Workers write the pages they make: the same files and manifest as one
    process, and a rebuild still rewrites only what changed."""
    from kontrakt.render.site.publish import MANIFEST, publish

    one, two = tmp_path / "one", tmp_path / "two"
    first = publish(_build(generated), one, workers=1)
    apart = publish(_build(generated), two, workers=2)
    assert sorted(apart.written_paths) == sorted(first.written_paths)
    assert (first.written, first.unchanged) == (len(_build(generated).pages), 0)
    assert _files(one) == _files(two)
    again = publish(_build(generated), two, workers=2)
    assert (again.written, again.unchanged, again.removed) == (0, first.written, 0)
    (two / "index.html").write_text("changed by hand", encoding="utf-8")
    mended = publish(_build(generated), two, workers=2)
    assert mended.written_paths == ("index.html",)
    assert _files(one) == _files(two)
    assert (two / MANIFEST).read_bytes() == (one / MANIFEST).read_bytes()


@forking
def test_a_write_that_fails_in_a_worker_fails_here(
    generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A disk that is full for one page: the build stops with that error, here, as
    it would in one process; the pages written are whole, none half-written."""
    import errno

    from kontrakt.render.site import publish as publishing

    build = _build(generated)
    full = build.pages[len(build.pages) // 2].path
    real = publishing.write_new_in  # a new folder's pages are written as new files

    def write(folder: int, path: Path, data: bytes) -> None:
        if path.as_posix().endswith(full):
            raise OSError(errno.ENOSPC, "No space left on device")
        real(folder, path, data)

    monkeypatch.setattr(publishing, "write_new_in", write)
    alone = dict(_build(generated).files(1))
    with pytest.raises(OSError, match="No space left"):
        publishing.publish(build, tmp_path / "site", workers=2)
    written = _files(tmp_path / "site")
    assert full not in written and written
    assert all(content == alone[path] for path, content in written.items() if path in alone)
    assert not [name for name in written if name.endswith(".tmp")]


def _files(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@forking
def test_a_worker_that_dies_after_writing_pages_leaves_a_whole_site(
    generated: Path, tmp_path: Path
) -> None:
    """Killed midway through a run, a worker has written pages of a new folder it
    never reported: they are made and written again here, over its files."""
    from kontrakt.render.site.publish import publish

    publish(_build(generated), tmp_path / "one", workers=1)
    build = _build(generated)
    parent = os.getpid()
    page = build.pages[len(build.pages) // 3 + 5]  # past the first pages of its run
    assert page.template is not None and page.contexts is not None
    original = page.contexts

    def dies_in_a_worker() -> dict[str, object]:
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return original()

    page.contexts = dies_in_a_worker
    signal.alarm(120)  # a hang fails the test instead of the suite
    try:
        done = publish(build, tmp_path / "two", workers=2)
    finally:
        signal.alarm(0)
    assert done.written == len(build.pages)
    assert _files(tmp_path / "two") == _files(tmp_path / "one")


_STOPPED_BY_SIGNAL = """
import os, signal, sys
from kontrakt import write
from kontrakt.cli import main

real, written, stop = write._write_all, [], int(sys.argv[1])

def stopped_midway(descriptor, data):
    written.append(len(data))
    if len(written) == 40:  # `kill -TERM -<group>`: a cancelled CI job, `timeout`
        os.killpg(0, stop)
    real(descriptor, data)

write._write_all = stopped_midway
sys.argv = ["kontrakt", *sys.argv[2:]]
main()
"""


@forking
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGHUP])
def test_a_build_stopped_by_a_signal_leaves_only_whole_pages(
    generated: Path, tmp_path: Path, stop: int
) -> None:
    """SIGTERM or SIGHUP to kontrakt and its workers stops the build as Ctrl-C does:
    pages under way are finished, nothing is half-written or left under a
    temporary name, no process is left, and the next build carries on."""
    import subprocess

    from kontrakt.render.site.publish import MANIFEST, publish

    publish(_build(generated), tmp_path / "whole", workers=1)
    whole = _files(tmp_path / "whole")
    site = ["site", "-p", str(generated), "--as-of", DAY.isoformat(), "-j", "2"]
    site += ["-o", str(tmp_path / "s")]
    ended = subprocess.run(
        [sys.executable, "-c", _STOPPED_BY_SIGNAL, str(int(stop)), *site],
        capture_output=True,
        text=True,
        timeout=120,
        start_new_session=True,
        check=False,
    )
    assert ended.returncode == 128 + stop, ended.stderr
    assert ended.stderr.splitlines() == ["kontrakt: interrupted"]  # the tests' language
    left = _files(tmp_path / "s")
    assert 0 < len(left) < len(whole)
    assert {path: whole[path] for path in left if path != MANIFEST} == {
        path: content for path, content in left.items() if path != MANIFEST
    }
    again = CliRunner().invoke(app, site)
    assert again.exit_code == 0, again.output
    assert _files(tmp_path / "s") == {**whole, MANIFEST: _files(tmp_path / "s")[MANIFEST]}
