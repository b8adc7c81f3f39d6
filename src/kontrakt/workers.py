"""Work made by worker processes, for a large job on a machine with more than
one core: the site's pages (render/site/build.py), fmt's files (fmt.py).

Each item is made from what the job holds alone: forked workers inherit the
job (a site's portfolio, lookups and compiled templates; fmt's list of files)
and each makes a run of items; the parent takes their results in order and
does what is done with them (reports a file, lists a page in the manifest).
An item may write a file of its own where it is made (the site's pages, see
render/site/publish.py); fmt's files are written by the parent alone. Where
fork is not to be had (not Linux) the items are made in this process, in runs.

- At most `_AHEAD` runs per worker are waiting to be taken, so memory stays
  bounded however far the workers get ahead of the parent.
- Items that share something made once (`batches`: the site's calendars, made
  from one export of every event) go to one worker together, and first, so the
  largest run starts while the others are made.
- An item a worker cannot make is made again here, so what goes wrong (a bug, a
  template's error) is raised here, as it would be without workers; should a
  worker die (killed, out of memory), the items not yet made are made here.
- Workers leave Ctrl-C to the parent, which cancels the runs not begun and lets
  the few being made finish (a worker killed while it sends its results would
  leave the pool waiting for good).
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
from typing import Protocol, TypeVar, cast

from kontrakt.errors import STOP_SIGNALS

# Fewer items than this are quicker made here than handed to new processes.
LEAST_ITEMS = 500
# Items a worker makes at a time: at least _RUN, and more in a large job, where
# each run's round trip (sent, made, its results taken back) is paid thousands of
# times; a worker still gets about _RUNS_EACH runs, so the last ones end together.
_RUN = 32
_MOST_RUN = 256
_RUNS_EACH = 12
_AHEAD = 4  # runs per worker made and not yet taken, at most
MOST_WORKERS = 8

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class Work(Protocol[T_co]):
    """What the workers need of a job: its items' batches ("" for an item of its
    own), one an item, an item's result by index, and what a run of items is made
    inside (the site: one render timer for them all; else nothing)."""

    @property
    def batches(self) -> list[str]: ...

    def made_at(self, index: int) -> T_co: ...

    def making(self) -> contextlib.AbstractContextManager[object]: ...


def workers_for(items: int, asked: int | None = None) -> int:
    """How many workers to make `items` items with: `asked` where given (1 for none),
    else one per core this process may use, none for a small job."""
    if not _can_fork():
        return 1
    if asked is not None:
        return max(1, min(asked, MOST_WORKERS))
    if items < LEAST_ITEMS:
        return 1
    return max(1, min(_cores(), MOST_WORKERS))


def made_apart(work: Work[T], workers: int) -> Iterator[tuple[int, T]]:
    """Each item's index and result, made by `workers` processes: run by run, each
    run's items in order (a batch's run where its first item stands), so items
    without batches come in order."""
    batches = work.batches
    runs = _runs(batches, run_size(len(batches), workers))
    if workers <= 1 or len(runs) <= 1 or not _can_fork():
        for start in range(0, len(batches), _RUN):  # in runs, in order
            indexes = range(start, min(start + _RUN, len(batches)))
            with work.making():
                results = [work.made_at(index) for index in indexes]
            yield from zip(indexes, results, strict=True)
        return
    global _WORK
    _WORK = work
    first = sorted(range(len(runs)), key=lambda run: not _batched(batches, runs[run]))
    made_by = ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_leave_interrupts_to_parent,
        initargs=(os.getpid(),),
    )
    try:
        waiting: dict[int, Future[list[Made[object]]]] = {}
        sent = iter(first)
        broken = False
        for turn, run in enumerate(runs):
            made: list[Made[object]] = [None] * len(run)
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
            for index, result in zip(run, made, strict=True):
                yield index, work.made_at(index) if result is None else cast(T, result[0])
    finally:
        # Done, or stopped (Ctrl-C, a failed write, an item that fails here): the
        # runs not begun are cancelled and the few being made are let finish. A
        # worker stopped while it sends its results would leave the pool's reader
        # waiting for the rest for good, and the interpreter's exit with it.
        made_by.shutdown(wait=True, cancel_futures=True)
        _WORK = None


_WORK: Work[object] | None = None
# A result as a worker sends it: in a tuple, None for an item it could not make
# (a result may itself be None).
Made = tuple[T] | None


def _make(run: Sequence[int]) -> list[Made[object]]:
    """In a worker: the results of the items of `run`, None for one that failed."""
    assert _WORK is not None
    made: list[Made[object]] = []
    with _WORK.making():
        for index in run:
            try:
                made.append((_WORK.made_at(index),))
            except Exception:  # made again in the parent, which raises it there
                made.append(None)
    return made


def run_size(items: int, workers: int) -> int:
    """How many items a run holds, for `items` made by `workers` processes."""
    return max(_RUN, min(_MOST_RUN, items // (max(workers, 1) * _RUNS_EACH)))


def _runs(batches: list[str], size: int = _RUN) -> list[list[int]]:
    """The items' indexes in runs of `size` at most: a batch's items in one run (at
    its first item's place), every other item with its neighbours."""
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
        if len(current) == size:
            current = []
    return runs


def _batched(batches: list[str], run: list[int]) -> bool:
    return bool(batches[run[0]])


def _leave_interrupts_to_parent(parent: int) -> None:
    """Ctrl-C is the parent's to handle; a worker ends with its parent, however
    the parent ends (killed too), instead of holding the output folder open."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in STOP_SIGNALS:  # not the parent's way of stopping: ended when sent
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
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
