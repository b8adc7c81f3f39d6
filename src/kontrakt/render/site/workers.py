"""The site's pages made by worker processes, for a large site on a machine with
more than one core.

Rendering thousands of pages is most of a large site's time, and each page is
made from the same lookups alone: forked workers inherit the build (its
portfolio, lookups and compiled templates) and each makes a run of pages; the
parent takes their bytes in page order and writes them (publish.py), so only
one process ever touches the output folder. Where fork is not to be had (not
Linux) the pages are made in this process, one by one.

- At most `_AHEAD` runs per worker are waiting to be written, so memory stays
  bounded however far the workers get ahead of the writing.
- Pages that share something made once (`Page.batch`: the calendar, cut from
  one export of every event) go to one worker together, and first, so the
  largest run starts while the others are made.
- A page a worker cannot make is made again here, so what goes wrong (a bug, a
  template's error) is raised here, as it would be without workers; should a
  worker die (killed, out of memory), the pages not yet made are made here.
- Workers leave Ctrl-C to the parent, which stops them.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Protocol

# Fewer pages than this are quicker made here than handed to new processes.
LEAST_PAGES = 500
_RUN = 32  # pages a worker makes at a time
_AHEAD = 4  # runs per worker made and not yet written, at most
MOST_WORKERS = 8


class Pages(Protocol):
    """What the workers need of a build: its pages, and a page's bytes by index."""

    @property
    def paths(self) -> list[str]: ...

    @property
    def batches(self) -> list[str]: ...

    def made_at(self, index: int) -> bytes: ...


def workers_for(pages: int, asked: int | None = None) -> int:
    """How many workers to make `pages` pages with: `asked` where given (1 for none),
    else one per core this process may use, none for a small site."""
    if not _can_fork():
        return 1
    if asked is not None:
        return max(1, min(asked, MOST_WORKERS))
    if pages < LEAST_PAGES:
        return 1
    return max(1, min(_cores(), MOST_WORKERS))


def made_apart(build: Pages, workers: int) -> Iterator[tuple[str, bytes]]:
    """Each page's path and bytes, made by `workers` processes: run by run, each
    run's pages in page order (a batch's run where its first page stands)."""
    paths = build.paths
    batches = build.batches
    runs = _runs(batches)
    if workers <= 1 or len(runs) <= 1 or not _can_fork():
        for index, path in enumerate(paths):
            yield path, build.made_at(index)
        return
    global _BUILD
    _BUILD = build
    first = sorted(range(len(runs)), key=lambda run: not _batched(batches, runs[run]))
    made_by = ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_leave_interrupts_to_parent,
        initargs=(os.getpid(),),
    )
    try:
        waiting: dict[int, Future[list[bytes | None]]] = {}
        sent = iter(first)
        broken = False
        for turn, run in enumerate(runs):
            made: list[bytes | None] = [None] * len(run)
            if not broken:
                try:
                    while turn not in waiting or len(waiting) < _AHEAD * workers:
                        following = next(sent, None)
                        if following is None:
                            break
                        waiting[following] = made_by.submit(_make, runs[following])
                    made = waiting.pop(turn).result()
                except BrokenProcessPool:
                    broken = True  # a worker was killed (out of memory?): the rest is made here
            for index, content in zip(run, made, strict=True):
                yield paths[index], build.made_at(index) if content is None else content
    except BaseException:
        # Stopped (Ctrl-C, a failed write): the runs being made are not waited for.
        for process in list(getattr(made_by, "_processes", {}).values()):
            process.terminate()
        made_by.shutdown(wait=False, cancel_futures=True)
        raise
    else:
        made_by.shutdown()
    finally:
        _BUILD = None


_BUILD: Pages | None = None


def _make(run: Sequence[int]) -> list[bytes | None]:
    """In a worker: the bytes of the pages of `run`, None for one that failed."""
    assert _BUILD is not None
    made: list[bytes | None] = []
    for index in run:
        try:
            made.append(_BUILD.made_at(index))
        except Exception:  # made again in the parent, which raises it there
            made.append(None)
    return made


def _runs(batches: list[str]) -> list[list[int]]:
    """The pages' indexes in runs of about `_RUN`: a batch's pages in one run (at
    its first page's place), every other page with its neighbours."""
    runs: list[list[int]] = []
    batched: dict[str, list[int]] = {}
    current: list[int] = []
    for index, batch in enumerate(batches):
        if batch:
            if batch not in batched:
                batched[batch] = []
                runs.append(batched[batch])
            batched[batch].append(index)
            continue
        if not current:
            runs.append(current)
        current.append(index)
        if len(current) == _RUN:
            current = []
    return runs


def _batched(batches: list[str], run: list[int]) -> bool:
    return bool(batches[run[0]])


def _leave_interrupts_to_parent(parent: int) -> None:
    """Ctrl-C is the parent's to handle; a worker ends with its parent, however
    the parent ends (killed too), instead of holding the output folder open."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent ended before the line above
        os._exit(1)


_PR_SET_PDEATHSIG = 1


def _can_fork() -> bool:
    """Fork where it is safe: Linux (macOS's system libraries may not survive it)."""
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def _cores() -> int:
    affinity: Callable[[int], set[int]] | None = getattr(os, "sched_getaffinity", None)
    if affinity is not None:
        return len(affinity(0))
    return os.cpu_count() or 1
