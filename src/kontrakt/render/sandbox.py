"""The guarded Jinja environment: a template may be hostile, so it runs on a budget.

Jinja's sandbox keeps a template from reaching Python's internals, but not from
running forever, building a gigabyte of text in one call, or making a number too
big to print; a custom template could hang CI or exhaust its memory. Here every
render gets a deadline and a memory ceiling, and every operation that can make a
value much bigger than its inputs checks the size it would make before making it:
`*`, `**`, `+`, `%` and `~`, string formatting, padding and joining, filters,
method calls, `namespace()` attributes and macro arguments. Whatever a limit
stops ends as one error that names the template and its line.

The deadline is a timer signal, and Python looks at signals only between steps
of its own: one C-level step (comparing two lists, hashing a tuple, sorting,
printing) runs to its end however long it takes. A list that holds the same list
twice, forty times over, is forty lists in memory but 2**40 items to compare.
So every list, tuple and dict a template builds (a literal, `+` and `*`, what a
filter, a method or a call returns, what a macro packs into `varargs`) is
measured as those steps see it, each list it holds counted as often as it is
held. Nothing bigger than MAX_ITEMS items or MAX_VALUE_CHARS characters is ever
made, and values never change once made (`append`, `update` and the like are
refused), so every C-level step on any value a template can reach stays short.

The guards cost little on the bundled templates: the deadline is a timer signal
where there is one, and the checks are a type test and a length on the way.
"""

from __future__ import annotations

import json
import math
import os
import re
import signal
import sys
import threading
import time
from collections.abc import (
    Callable,
    Generator,
    ItemsView,
    Iterable,
    Iterator,
    Mapping,
    MutableMapping,
)
from contextlib import contextmanager
from functools import partial, update_wrapper
from itertools import chain, islice
from pathlib import Path
from types import BuiltinMethodType, CodeType, FrameType, MethodType
from typing import TYPE_CHECKING, Any, ClassVar, cast

from jinja2 import Environment, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.filters import make_attrgetter
from jinja2.runtime import Context, Macro, Undefined
from jinja2.sandbox import (
    SandboxedEnvironment,
    SandboxedEscapeFormatter,
    SandboxedFormatter,
    modifies_known_mutable,
)
from jinja2.utils import Cycler, Namespace, _PassArg, generate_lorem_ipsum, pass_context
from markupsafe import Markup

if TYPE_CHECKING:
    from jinja2 import Template

RENDER_SECONDS = 5.0
"""How long one document may take, compiling included: the bundled report over
10 000 files renders in under a tenth of a second, so a template still running
after this is stuck in a loop or a recursion, not slow."""

MAX_MEMORY_BYTES = 256 * 1024 * 1024
"""How much memory a render may add to the process: rendering the bundled report
over 10 000 files adds under 10 MiB; this stops a template that hoards text long
before the machine (or the CI runner) runs out. Measured where the system tells
(Linux, other POSIX); elsewhere only the size limits below apply."""

MAX_OUTPUT_CHARS = 32 * 1024 * 1024
"""The longest document: the bundled report over 10 000 files is 2.3 million
characters, so this leaves room for portfolios many times that size."""

MAX_TEXT_CHARS = 8 * 1024 * 1024
"""The longest text one operation may build: room for a whole large document
captured in a variable, and a bound on what a single step can allocate."""

MAX_ITEMS = 1_000_000
"""The most items one value a template builds may hold, counted as comparing,
hashing, sorting or printing it walks them: a list, tuple or dict it holds counts
with all its items each time it is held, so `[a, a]` counts `a` twice. The whole
context of a 10 000-file portfolio is under half a million."""

MAX_VALUE_CHARS = 32 * 1024 * 1024
"""The most text one value a template builds may hold, counted the same way: a
list of one 8 MiB text held a million times is only a million items, but
comparing it with another such list reads 8 TiB. The context of a 10 000-file
portfolio holds under 3 million characters."""

MAX_INT_DIGITS = 100
"""The most digits of a number a template may make: amounts and counts need a
dozen, so a longer number is a template computing for its own sake (`10**10**10`,
which Jinja reads as `(10**10)**10`); Python refuses to print past 4300 anyway."""

MAX_RANGE = 100_000
"""The longest `range()`: Jinja's own sandbox limit, kept."""

MAX_COMPILED_CHARS = 2 * 1024 * 1024
"""The most Python a template may compile to: kontrakt's own compile to under 20 KiB.
Python's compile() is one long call a deadline cannot interrupt (a megabyte of
empty macros took minutes), so a template past this is refused before it."""

MAX_NESTING = 100
"""The deepest nesting of lists and dicts a template may build or print."""

MAX_JSON_INDENT = 64
"""The widest `tojson` indent: each level repeats it on every line."""

_MAX_INT_BITS = int(MAX_INT_DIGITS * math.log2(10))
_TICK_SECONDS = 0.05  # how often the timer (or the fallback) looks at the clock and memory
_PAGE_BYTES = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_STATM = Path("/proc/self/statm")


class LimitExceeded(SecurityError):
    """A template asked for more than a limit allows; the message says which."""


class RenderStopped(BaseException):
    """Raised into a running template by the deadline or the memory ceiling.

    A BaseException, so that no `except Exception` in Jinja or in a filter can
    swallow it; the render turns it into a TemplateProblem like any other.
    """


# --- time and memory --------------------------------------------------------------------


_statm: tuple[int, int] | None = None  # this process's id, and its statm kept open


def _resident_bytes() -> int | None:
    """The process's resident memory now (Linux), else its peak (other POSIX), else None.

    /proc/self/statm is opened once a process and read again in place, a microsecond
    instead of an open and a close for each of a site's thousands of renders; a
    forked worker, whose inherited descriptor still reads its parent, opens its own.
    """
    global _statm
    try:
        pid = os.getpid()
        if _statm is None or _statm[0] != pid:
            _statm = (pid, os.open(_STATM, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0)))
        return int(os.pread(_statm[1], 128, 0).split()[1]) * _PAGE_BYTES
    except (OSError, ValueError, IndexError, AttributeError):
        pass
    try:
        import resource
    except ImportError:
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


class Guard:
    """One render's budget: a deadline, and a ceiling on the memory it may add.

    In the main thread on POSIX a repeating SIGALRM timer enforces both, even in
    a loop that makes no calls; elsewhere `tick()`, called from the sandbox's
    hooks and from every `for` loop, looks at the clock instead. Many renders in
    a row (a site's pages) share one timer inside `session()`.
    """

    def __init__(
        self, seconds: float = RENDER_SECONDS, memory_bytes: int = MAX_MEMORY_BYTES
    ) -> None:
        self.seconds = seconds
        self.memory_bytes = memory_bytes
        self.alarm = (
            hasattr(signal, "setitimer")
            and threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGALRM) is not None
        )
        self.deadline = math.inf
        self.ceiling: int | None = None
        self.armed = False
        self._next_look = 0.0
        self._quiet_until = 0.0
        self._session = False

    def tick(self) -> None:
        """The fallback deadline and memory check, for when there is no timer."""
        if self.alarm:
            return
        now = time.monotonic()
        if now >= self._next_look:
            self._next_look = now + _TICK_SECONDS
            self._look(now)

    def _look(self, now: float) -> None:
        if now > self.deadline:
            raise RenderStopped(
                f"still running after {self.seconds:g} seconds; "
                "a loop or a recursion that does not end?"
            )
        if self.ceiling is not None:
            used = _resident_bytes()
            if used is not None and used > self.ceiling:
                raise RenderStopped(
                    f"needs more than {self.memory_bytes // (1024 * 1024)} MiB of memory"
                )

    def _on_alarm(self, signum: int, frame: FrameType | None) -> None:
        if not self.armed:
            return
        now = time.monotonic()
        if now < self._quiet_until:
            return
        try:
            self._look(now)
        except RenderStopped:
            self._quiet_until = now + 10 * _TICK_SECONDS  # time to unwind before another
            raise

    @contextmanager
    def running(self) -> Iterator[None]:
        """Start the clock (and the timer, where there is one) for one render."""
        started = time.monotonic()
        self.deadline = started + self.seconds
        base = _resident_bytes()
        self.ceiling = None if base is None else base + self.memory_bytes
        if not self.alarm:
            yield
            return
        if self._session:  # the session's timer is running: only this render's budget is new
            self.armed = True
            try:
                yield
            finally:
                self.armed = False
            return
        with self._timer():
            self.armed = True
            yield

    @contextmanager
    def session(self) -> Iterator[None]:
        """One timer for the renders inside (`running`), each still on its own
        deadline and memory ceiling: setting a timer and a signal handler up and
        taking them down again cost a site a tenth of its rendering."""
        if not self.alarm or self._session:
            yield
            return
        with self._timer():
            self._session = True
            try:
                yield
            finally:
                self._session = False

    @contextmanager
    def _timer(self) -> Iterator[None]:
        """The repeating SIGALRM timer with `_on_alarm` as its handler, put back as it was after."""
        started = time.monotonic()
        previous = signal.signal(signal.SIGALRM, self._on_alarm)
        previous_timer = signal.setitimer(signal.ITIMER_REAL, _TICK_SECONDS, _TICK_SECONDS)
        try:
            yield
        finally:
            self._disarm(previous, previous_timer, started)

    def _disarm(self, previous: Any, previous_timer: tuple[float, float], started: float) -> None:
        """Stop the timer and put back whatever was there, even if an alarm lands now."""
        while True:
            try:
                self.armed = False  # from here on an alarm does nothing
                signal.setitimer(signal.ITIMER_REAL, 0, 0)
                signal.signal(signal.SIGALRM, previous)
                delay, interval = previous_timer
                if delay > 0:  # someone else's timer: give it back what is left of it
                    left = delay - (time.monotonic() - started)
                    signal.setitimer(signal.ITIMER_REAL, max(left, 1e-6), interval)
                return
            except RenderStopped:
                continue


# --- sizes ---------------------------------------------------------------------------------


def _refuse(what: str) -> LimitExceeded:
    return LimitExceeded(f"{what}; that is more than a template may build")


def _too_deep() -> LimitExceeded:
    return _refuse(f"lists or dicts nested more than {MAX_NESTING} deep")


def check_value(value: object) -> None:
    """A value's own size (not what it holds) against the limits: cheap, so used often."""
    if isinstance(value, str | bytes):
        _check_text(len(value))
    elif type(value) is int:
        _check_bits(value.bit_length())
    elif isinstance(value, list | tuple | dict | set | frozenset):
        _check_items(len(value))


_VIEWS: tuple[type, ...] = (type({}.keys()), type({}.values()), type({}.items()))
_PRINTED = (list, tuple, set, frozenset, dict, Namespace, *_VIEWS)


def measure(value: object) -> tuple[int, int, int]:
    """About how long `str(value)` would be, with how many items and how deep.

    A list that holds the same list many times prints it many times, so a few
    lines of template can make a value whose text would never end; this adds
    up what would be printed (each shared list measured once) and refuses as
    soon as it passes MAX_TEXT_CHARS.
    """
    known: dict[int, tuple[int, int, int]] = {}
    busy = (5, 1, 0)  # a list met inside itself prints as `[...]`

    def size(item: object, level: int) -> tuple[int, int, int]:
        if isinstance(item, str):
            return len(item), 1, 0
        if type(item) is int:
            digits = int(item.bit_length() * 0.302) + 2
            if digits > MAX_INT_DIGITS + 2:
                raise _refuse(f"a number of more than {MAX_INT_DIGITS:,} digits")
            return digits, 1, 0
        if isinstance(item, bytes):
            return 4 * len(item) + 3, 1, 0
        if not isinstance(item, _PRINTED):
            return 8, 1, 0
        key = id(item)
        seen = known.get(key)
        if seen is not None:
            return seen
        if level >= MAX_NESTING:
            raise _too_deep()
        known[key] = busy
        if isinstance(item, Namespace):
            item = object.__getattribute__(item, "_Namespace__attrs")
        entries: Iterable[object]
        if isinstance(item, dict):
            entries = (part for pair in item.items() for part in pair)
        else:
            entries = item  # type: ignore[assignment]
        chars, count, depth = 2, 1, 0
        for entry in entries:
            entry_chars, entry_count, entry_depth = size(entry, level + 1)
            chars += entry_chars + (4 if isinstance(entry, str) else 2)
            count += entry_count
            depth = max(depth, entry_depth + 1)
            if chars > MAX_TEXT_CHARS or count > MAX_TEXT_CHARS:
                raise _refuse(f"printing a value of more than {MAX_TEXT_CHARS:,} characters")
        known[key] = (chars, count, depth)
        return chars, count, depth

    return size(value, 0)


def check_printable(value: object) -> None:
    """Refuse a value whose text would be longer than a template may build."""
    if type(value) is not str:
        measure(value)


def _check_text(size: int) -> None:
    if size > MAX_TEXT_CHARS:
        raise _refuse(f"a text of {size:,} characters")


def _check_items(size: int) -> None:
    if size > MAX_ITEMS:
        raise _refuse(f"a collection of {size:,} items")


def _width(value: object) -> int:
    """A padding width or count given to a string operation, refused if too big."""
    if isinstance(value, int) and value > MAX_TEXT_CHARS:
        raise _refuse(f"a width of {value:,} characters")
    return value if isinstance(value, int) else 0


def _text_size(value: object) -> int:
    """How long a value is as text: its length if it is text, else measured."""
    if isinstance(value, str):
        return len(value)
    return measure(value)[0]


def _occurrences(text: str, old: str, count: object) -> int:
    found = text.count(old) if old else len(text) + 1
    if isinstance(count, int) and count >= 0:
        found = min(found, count)
    return found


def _check_replace(text: object, old: object, new: object, count: object = -1) -> None:
    """`replace` can turn every character into a long text: count before replacing."""
    if isinstance(text, str) and isinstance(old, str) and isinstance(new, str):
        grows = max(len(new) - len(old), 0)
        _check_text(len(text) + _occurrences(text, old, count) * grows)
    else:
        for part in (text, old, new):
            check_printable(part)


_PRINTF = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d*))?[hlL]?(.?)", re.DOTALL)
_DIGITS = re.compile(r"\d+")


def check_printf(template: str | bytes, values: object) -> None:
    """`"%999999999d" % 1` pads to a gigabyte: add up widths and values first."""
    if isinstance(template, bytes):
        template = template.decode("latin-1")  # one character a byte, as `%` reads it
    size = len(template)
    for width, precision, _ in _PRINTF.findall(template):
        for number in (width, precision):
            if number == "*":
                raise LimitExceeded("`*` widths in % formatting are not allowed in templates")
            if number:
                size += _width(int(number[:10]))
    size += _text_size(values)
    _check_text(size)


_NAMED = re.compile(r"%\(([^)]*)\)")


def check_filled(template: str, values: Mapping[str, str]) -> None:
    """`template % values` with named places: each place counts its value once more,
    so a place written a million times cannot fill gigabytes."""
    check_printf(template, ())
    _check_text(len(template) + sum(len(values.get(name, "")) for name in _NAMED.findall(template)))


def _check_spec(spec: str) -> None:
    """A `str.format` spec such as `>999999999` pads to its width: refuse big ones."""
    for number in _DIGITS.findall(spec):
        _width(int(number[:10]))


# --- what a value holds, counted as a C-level walk counts it -------------------------------

Size = tuple[int, int, int]
"""A value's items, characters of text and depth, each list it holds counted as
often as it is held: what comparing, hashing, sorting or printing it walks."""

_WALKED = (list, tuple, dict, set, frozenset, *_VIEWS)
_COLLECTIONS = (list, tuple, dict, set, frozenset)
_READERS = frozenset({"get", "copy", "keys", "values", "items", "index", "count"})
"""Methods of a collection whose result is a part of it, or it again: measured already."""

_SMALL = 16
"""A collection of at most this many texts or numbers is measured again when asked,
not remembered: that is as quick, and most of kontrakt's values are like that."""

_SWEEP_AFTER = 1 << 18
"""How much the memory of sizes takes in (each value weighing 8 plus its length)
before it lets go of the new values only it still holds."""


def _alone() -> int | None:
    """What sys.getrefcount says of an object held by a dict and nothing else."""
    getrefcount = getattr(sys, "getrefcount", None)
    if getrefcount is None:  # not CPython: no reference counts to read
        return None
    held: dict[int, object] = {0: []}
    return int(getrefcount(held[0]))


_ALONE = _alone()


def _within(items: int, chars: int) -> None:
    if items > MAX_ITEMS:
        raise _refuse(
            f"a value holding more than {MAX_ITEMS:,} items (a list held twice counts twice)"
        )
    if chars > MAX_VALUE_CHARS:
        raise _refuse(
            f"a value holding more than {MAX_VALUE_CHARS:,} characters of text "
            "(a text held twice counts twice)"
        )


_EMPTY: Size = (1, 0, 1)
_SCALARS = frozenset({type(None), bool, int, float})


def _leaf(value: object) -> Size:
    return (1, len(value), 0) if isinstance(value, str | bytes) else (1, 0, 0)


class Sizes:
    """What each value a template makes holds, for one render; see the module's docstring.

    A size is remembered by the value's id, and the value is kept alive while
    it is remembered, so that its id is never another's. Values do not change
    in a template, so a size stays true: `ns.l = ns.l + [x]` in a loop adds two
    remembered sizes rather than walking the list every time.

    What nothing but this memory holds any more is let go now and then, as a
    generational collector would: the values remembered since the last sweep
    (most are a loop's passing lists) often, all of them (kontrakt's own
    values, mostly, which live to the end) when those that survived the
    sweeps have doubled.
    """

    def __init__(self) -> None:
        self.known: dict[int, Size] = {}
        self.held: dict[int, object] = {}
        self.young: list[int] = []  # remembered since the last sweep, in order
        self.young_weight = 0
        self.old_weight = 0
        self.old_limit = _SWEEP_AFTER

    def check(self, value: object) -> None:
        """Refuse a value too big to keep: a collection by all it holds, else by itself."""
        if isinstance(value, _WALKED):
            self.of(value)
        else:
            check_value(value)

    def of(self, value: object) -> Size:
        """The value's size, measured (and refused if too big) the first time it is asked."""
        if not isinstance(value, _WALKED):
            return _leaf(value)
        found = self.known.get(id(value))
        return found if found is not None else self._walk(value, 0)

    def together(self, values: Iterable[object]) -> None:
        """Refuse values that a callee packs into one tuple (`varargs`, `cycler`'s items)."""
        items, chars = 1, 0
        for value in values:
            size = self.of(value)
            items, chars = items + size[0], chars + size[1]
            _within(items, chars)

    def repeated(self, value: object, times: int) -> None:
        """Refuse a list that would hold `value` `times` times (`batch`'s filling)."""
        items, chars, _ = self.of(value)
        _within(1 + times * items, times * chars)

    def remember(self, value: Any, size: Size) -> None:
        key = id(value)
        self.known[key] = size
        self.held[key] = value
        self.young.append(key)
        self.young_weight += 8 + len(value)
        if self.young_weight > _SWEEP_AFTER:
            self._sweep()

    def _walk(self, value: Any, level: int) -> Size:
        """Add up what a value holds, each part measured once (by id) and counted each time.

        A value that held itself would be nested without end: the depth stops it.
        """
        if level >= MAX_NESTING:
            raise _too_deep()
        entries: Iterable[Any] = value
        items, chars, depth = 1, 0, 0
        if isinstance(value, list | tuple):
            pass
        elif isinstance(value, dict):
            entries = chain(value.keys(), value.values())
        elif isinstance(value, ItemsView):  # pairs made as they are read: count them here
            entries = (part for pair in value for part in pair)
            items += len(value)
        known = self.known
        for entry in entries:
            kind = type(entry)
            if kind is str:
                items += 1
                chars += len(entry)
            elif kind in _SCALARS:
                items += 1
            elif isinstance(entry, _WALKED):
                found = known.get(id(entry))
                if found is None:
                    found = self._walk(entry, level + 1) if entry else _EMPTY
                items += found[0]
                chars += found[1]
                if found[2] > depth:
                    depth = found[2]
                if items > MAX_ITEMS or chars > MAX_VALUE_CHARS:  # stop a bomb at once
                    _within(items, chars)
            else:
                items += 1
                if isinstance(entry, str | bytes):
                    chars += len(entry)
        if items > MAX_ITEMS or chars > MAX_VALUE_CHARS:
            _within(items, chars)
        if depth >= MAX_NESTING:
            raise _too_deep()
        size = (items, chars, depth + 1)
        if depth or items > _SMALL:  # a few texts or numbers are as quick to add up again
            self.remember(value, size)
        return size

    def _sweep(self) -> None:
        """Let go of the values only this memory still holds.

        A value is remembered after all it holds, so going from the newest to
        the oldest lets go of a holder before what it holds, in one pass.
        """
        young, self.young, self.young_weight = self.young, [], 0
        if _ALONE is None:  # nothing tells what is still in use: forget everything
            self.held.clear()
            self.known.clear()
            return
        alone = _ALONE + 1  # + 1: the name `value` in _let_go
        self.old_weight += self._let_go(reversed(young), alone)
        if self.old_weight > self.old_limit:
            self.old_weight = self._let_go(reversed(list(self.held)), alone)
            self.old_limit = 2 * self.old_weight + _SWEEP_AFTER

    def _let_go(self, keys: Iterable[int], alone: int) -> int:
        """Forget the values among `keys` that nothing else holds; the weight of the rest."""
        held, known, getrefcount = self.held, self.known, sys.getrefcount
        kept = 0
        for key in keys:
            value: Any = held.get(key)
            if value is None:
                continue
            if getrefcount(value) <= alone:
                del held[key]
                del known[key]
            else:
                kept += 8 + len(value)
        return kept


def _sequence_size(sizes: Sizes, operator: str, left: Any, right: Any) -> Size | None:
    """What `a + b` or `a * n` of lists or tuples will hold, refused before it is made."""
    if operator == "+":
        if isinstance(left, list | tuple) and isinstance(right, list | tuple):
            left_items, left_chars, left_depth = sizes.of(left)
            right_items, right_chars, right_depth = sizes.of(right)
            size = (
                left_items + right_items - 1,
                left_chars + right_chars,
                max(left_depth, right_depth),
            )
            _within(size[0], size[1])
            return size
    elif operator == "*":
        sequence, times = (right, left) if isinstance(right, list | tuple) else (left, right)
        if isinstance(sequence, list | tuple) and isinstance(times, int):
            times = max(times, 0)
            items, chars, depth = sizes.of(sequence)
            size = (1 + times * (items - 1), times * chars, depth)
            _within(size[0], size[1])
            return size
    return None


# --- values a template builds ------------------------------------------------------------


def _check_binop(operator: str, left: Any, right: Any) -> None:
    """Before `*`, `**`, `+` or `%` computes: will the result fit?"""
    if operator == "*":
        if isinstance(right, int) and not isinstance(left, int | float):
            left, right = right, left
        if not isinstance(left, int):
            return
        if isinstance(right, str | bytes):
            _check_text(len(right) * max(left, 0))
        elif isinstance(right, list | tuple):
            _check_items(len(right) * max(left, 0))
        elif type(right) is int and type(left) is int:
            _check_bits(left.bit_length() + right.bit_length() - 1)
    elif operator == "**":
        if type(left) is int and type(right) is int and right > 0 and abs(left) > 1:
            _check_bits(right * math.log2(abs(left)))
    elif operator == "+":
        if isinstance(left, str | bytes) and isinstance(right, str | bytes):
            _check_text(len(left) + len(right))
        elif isinstance(left, list | tuple) and isinstance(right, list | tuple):
            _check_items(len(left) + len(right))
        elif type(left) is int and type(right) is int:
            _check_bits(max(left.bit_length(), right.bit_length()) + 1)
    elif operator == "%" and isinstance(left, str | bytes):
        check_printf(left, right)


def _check_bits(bits: float) -> None:
    if bits > _MAX_INT_BITS:
        raise _refuse(f"a number of more than {MAX_INT_DIGITS:,} digits")


class GuardedNamespace(Namespace):
    """`namespace()`, refusing attributes too big to keep (a text doubled in a loop).

    The one thing a template may change. Each render has its own subclass,
    whose `sizes` measure what is set; a namespace itself is never walked by a
    comparison or a hash (it compares by identity), and printing it is measured.
    """

    sizes: ClassVar[Sizes]

    def __init__(*args: Any, **kwargs: Any) -> None:  # Namespace's own form
        sizes = type(args[0]).sizes
        for value in (*args[1:], *kwargs.values()):
            sizes.check(value)
        Namespace.__init__(*args, **kwargs)

    def __setitem__(self, name: str, value: Any) -> None:
        type(self).sizes.check(value)
        super().__setitem__(name, value)


class _FieldsBudget:
    """`"{:>999999999}".format(1)`: check each field's spec and the running total."""

    total = 0

    def format_field(self, value: object, format_spec: str) -> str:
        _check_spec(format_spec)
        check_printable(value)
        formatted: str = super().format_field(value, format_spec)  # type: ignore[misc]
        self.total += len(formatted)
        _check_text(self.total)
        return formatted


class _GuardedFormatter(_FieldsBudget, SandboxedFormatter):
    pass


class _GuardedEscapeFormatter(_FieldsBudget, SandboxedEscapeFormatter):
    pass


# --- filters -------------------------------------------------------------------------------

# Filters that turn their value into text: a value that prints long is refused first.
_STRINGIFYING = frozenset(
    {
        *("capitalize", "center", "e", "escape", "forceescape", "format", "indent", "lower"),
        *("md", "pprint", "replace", "safe", "string", "striptags", "title", "trim"),
        *("truncate", "upper", "urlencode", "urlize", "wordcount", "wordwrap", "xmlattr"),
    }
)
_TEXT_TYPES = {str, Markup}


def _materialized(value: Any) -> list[Any]:
    """An iterable as a list, refused past MAX_ITEMS before it is all in memory."""
    items = list(islice(value, MAX_ITEMS + 1))
    _check_items(len(items))
    return items


def _attributes(environment: Environment, items: list[Any], attribute: Any) -> list[Any]:
    """Each item's attribute (`join(attribute="title")`), looked up the sandbox's way."""

    return list(map(make_attrgetter(environment, attribute), items))


# Checks before a filter runs, given the environment and the filter's own arguments
# (value first, without the context Jinja may pass), with Jinja's names and defaults.
# A check may return other arguments to run the filter with.
_Checked = tuple[Any, ...] | None


def _pre_center(env: Environment, value: Any, width: Any = 80, *_: Any, **__: Any) -> _Checked:
    _width(width)
    return None


def _pre_indent(env: Environment, s: Any, width: Any = 4, *_: Any, **__: Any) -> _Checked:
    step = len(width) if isinstance(width, str) else _width(width)
    lines = s.count("\n") + 2 if isinstance(s, str) else 2
    _check_text(_text_size(s) + lines * step)
    return None


def _pre_join(env: Environment, value: Any, d: Any = "", attribute: Any = None) -> _Checked:
    """`join` prints every item and repeats the separator between them: add it up.

    An iterator is read into a list (and attributes looked up) to be measured,
    and the filter then joins that list.
    """
    plain = attribute is None and type(value) in (list, tuple) and type(d) is str
    if plain and set(map(type, value)) <= _TEXT_TYPES:  # the usual: a few titles
        _check_text(sum(map(len, value)) + len(d) * max(len(value) - 1, 0))
        return None
    items = _materialized(value)
    if attribute is not None:
        items = _attributes(env, items, attribute)
    size = _text_size(d) * max(len(items) - 1, 0)
    for item in items:
        size += len(item) if type(item) is str else _text_size(item)
        _check_text(size)
    return items, d


def _pre_replace(
    env: Environment, s: Any, old: Any, new: Any, count: Any = None, *_: Any, **__: Any
) -> _Checked:
    _check_replace(s, old, new, -1 if count is None else count)
    return None


def _pre_format(env: Environment, value: Any, *args: Any, **kwargs: Any) -> _Checked:
    check_printf(value if isinstance(value, str) else str(value), kwargs or args)
    return None


def _pre_batch(
    env: Environment, value: Any, linecount: Any, fill_with: Any = None, *_: Any, **__: Any
) -> _Checked:
    """The last batch is filled up with `fill_with`: that many of it in one list."""
    if fill_with is not None and isinstance(linecount, int):
        _check_items(linecount)
        cast(GuardedSandbox, env).sizes.repeated(fill_with, linecount)
    return None


def _pre_slice(env: Environment, value: Any, slices: Any, *_: Any, **__: Any) -> _Checked:
    if isinstance(slices, int):
        _check_items(slices)
    return None


def _pre_wordwrap(
    env: Environment,
    s: Any,
    width: Any = 79,
    break_long_words: Any = True,
    wrapstring: Any = None,
    *_: Any,
    **__: Any,
) -> _Checked:
    size = _text_size(s)
    joint = len(wrapstring) if isinstance(wrapstring, str) else 1
    _check_text(size + (size + 1) * joint)
    return None


def _pre_urlize(
    env: Environment,
    value: Any,
    trim_url_limit: Any = None,
    nofollow: Any = False,
    target: Any = None,
    rel: Any = None,
    *_: Any,
    **__: Any,
) -> _Checked:
    size = _text_size(value)
    extra = sum(len(x) for x in (target, rel) if isinstance(x, str))
    _check_text(3 * size + (size // 3 + 1) * (extra + 40))
    return None


def _pre_truncate(
    env: Environment,
    s: Any,
    length: Any = 255,
    killwords: Any = False,
    end: Any = "...",
    *_: Any,
    **__: Any,
) -> _Checked:
    _check_text(_text_size(s) + _text_size(end))
    return None


def _pre_pprint(env: Environment, value: Any, *_: Any, **__: Any) -> _Checked:
    chars, count, depth = measure(value)
    _check_text(chars + count * depth)  # each line indented by its depth
    return None


def _pre_xmlattr(env: Environment, d: Any, *_: Any, **__: Any) -> _Checked:
    _check_text(6 * measure(d)[0])  # every character may be escaped
    return None


def _pre_urlencode(env: Environment, value: Any, *_: Any, **__: Any) -> _Checked:
    _check_text(12 * _text_size(value))  # a character may be 4 bytes, each %XX
    return None


def _pre_tojson(env: Environment, value: Any, indent: Any = None, *_: Any, **__: Any) -> _Checked:
    width = len(indent) if isinstance(indent, str) else indent
    if isinstance(width, int) and width > MAX_JSON_INDENT:
        raise LimitExceeded(f"a tojson indent wider than {MAX_JSON_INDENT} is refused")
    measure(value)  # a list holding itself many times: refused before encoding
    return None


_PRECHECKS: dict[str, Callable[..., _Checked]] = {
    "batch": _pre_batch,
    "center": _pre_center,
    "format": _pre_format,
    "indent": _pre_indent,
    "join": _pre_join,
    "pprint": _pre_pprint,
    "replace": _pre_replace,
    "slice": _pre_slice,
    "tojson": _pre_tojson,
    "truncate": _pre_truncate,
    "urlencode": _pre_urlencode,
    "urlize": _pre_urlize,
    "wordwrap": _pre_wordwrap,
    "xmlattr": _pre_xmlattr,
}

# Filters run differently, to be bounded as they go. Each gets the environment, the
# original filter with what it wants passed already bound, and the filter's arguments.
_Original = Callable[..., Any]


def _sum(
    environment: Environment,
    original: _Original,
    iterable: Any,
    attribute: Any = None,
    start: Any = 0,
) -> Any:
    """`sum(start=[])` adds lists, each time copying all so far: count, then chain."""
    items = _materialized(iterable)
    if attribute is not None:
        items = _attributes(environment, items, attribute)
    if isinstance(start, list | tuple):
        _check_items(len(start) + sum(len(i) if isinstance(i, list | tuple) else 1 for i in items))
        if all(type(item) is type(start) for item in items):
            flat = [entry for part in (start, *items) for entry in part]
            return flat if isinstance(start, list) else tuple(flat)
    return original(items, start=start)


def _tojson(environment: Environment, original: _Original, value: Any, indent: Any = None) -> Any:
    """`tojson`, encoded piece by piece, so a value too big to print stops early."""
    options = dict(environment.policies["json.dumps_kwargs"])
    if indent is not None:
        options["indent"] = indent
    pieces, size = [], 0
    for piece in json.JSONEncoder(**options).iterencode(value):
        size += len(piece)
        _check_text(size)
        pieces.append(piece)
    text = "".join(pieces)
    _check_text(size + 5 * sum(text.count(c) for c in "<>&'"))
    return Markup(  # as Jinja's tojson: safe in HTML
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("'", "\\u0027")
    )


def _list(environment: Environment, original: _Original, value: Any) -> Any:
    """`list` of an endless or enormous iterator stops at MAX_ITEMS."""
    return _materialized(value)


_REPLACED: dict[str, Callable[..., Any]] = {
    "list": _list,
    "sum": _sum,
    "tojson": _tojson,
}


def _guard_filter(
    environment: GuardedSandbox, name: str, function: Callable[..., Any]
) -> Callable[..., Any]:
    """A filter with its input checked before and its result after.

    The wrapper takes the template context and hands the filter what it asked
    for (the context, the eval context, the environment or nothing); a filter
    that wants the context is never evaluated while compiling, so every call
    runs under the guards and fails with the template's line.
    """

    wanted = getattr(function, "jinja_pass_arg", None)
    check = environment.sizes.check
    precheck = _PRECHECKS.get(name)
    replaced = _REPLACED.get(name)
    stringifies = name in _STRINGIFYING
    tick = None if environment.guard.alarm else environment.guard.tick

    def guarded(context: Context, *args: Any, **kwargs: Any) -> Any:
        if tick is not None:
            tick()
        if stringifies and args and type(args[0]) is not str:
            check_printable(args[0])
        if precheck is not None:
            checked = precheck(environment, *args, **kwargs)
            if checked is not None:
                args, kwargs = checked, {}
        call: Callable[..., Any] = function
        if wanted is _PassArg.eval_context:
            call = partial(function, context.eval_ctx)
        elif wanted is _PassArg.environment:
            call = partial(function, context.environment)
        elif wanted is _PassArg.context:
            call = partial(function, context)
        if replaced is not None:
            result = replaced(environment, call, *args, **kwargs)
        else:
            result = call(*args, **kwargs)
        if type(result) is not str or len(result) > MAX_TEXT_CHARS:
            check(result)
        return result

    chosen: Callable[..., Any] = guarded
    # The bundled templates call `lower` and `join` thousands of times in a large
    # report. On plain text these two do the filter's work themselves, exactly as
    # Jinja's would, rather than adding a call around it; others get a lean wrapper.
    if tick is None and name == "lower" and wanted is None:

        def lower(context: Context, s: Any, *args: Any, **kwargs: Any) -> Any:
            if type(s) is str and not args and not kwargs:
                return s.lower()
            return guarded(context, s, *args, **kwargs)

        chosen = lower
    elif tick is None and name == "join" and wanted is _PassArg.eval_context:

        def join(context: Context, value: Any, d: Any = "", attribute: Any = None) -> Any:
            if (
                attribute is None
                and type(d) is str
                and type(value) in (list, tuple)
                and not context.eval_ctx.autoescape
            ):
                size = len(d) * len(value)
                for item in value:
                    if type(item) is not str:
                        break
                    size += len(item)
                else:  # a list of texts: its size is known without printing anything
                    _check_text(size)
                    return d.join(value)
            return guarded(context, value, d, attribute)

        chosen = join
    elif tick is None and wanted is None and precheck is None and replaced is None:

        def plain(context: Context, value: Any, *args: Any, **kwargs: Any) -> Any:
            if stringifies and type(value) is not str:
                check_printable(value)
            result = function(value, *args, **kwargs)
            if type(result) is not str or len(result) > MAX_TEXT_CHARS:
                check(result)
            return result

        chosen = plain

    update_wrapper(chosen, function)
    return pass_context(chosen)


# --- calls ----------------------------------------------------------------------------------


def _check_text_method(owner: str | bytes, name: str, args: tuple[Any, ...]) -> tuple[Any, ...]:
    """Methods of str and bytes that can make a text far longer than their inputs.

    Returns the arguments to call with: an iterator to join is read into a list
    first, to be measured (and to be there still when the join reads it).
    """
    if name == "join" and len(args) == 1:
        if isinstance(args[0], str):
            _check_text(len(owner) * max(len(args[0]) - 1, 0) + len(args[0]))
            return args
        items = args[0] if isinstance(args[0], list | tuple) else _materialized(args[0])
        size = len(owner) * max(len(items) - 1, 0)
        size += sum(len(item) for item in items if isinstance(item, str | bytes))
        _check_text(size)
        return (items,)
    if name in ("center", "ljust", "rjust", "zfill") and args:
        _width(args[0])
    elif name == "expandtabs":
        step = _width(args[0]) if args else 8
        tabs = owner.count("\t") if isinstance(owner, str) else owner.count(b"\t")
        _check_text(len(owner) + tabs * step)
    elif name == "replace" and len(args) >= 2:
        old, new = args[0], args[1]
        if isinstance(owner, str):
            _check_replace(owner, old, new, args[2] if len(args) > 2 else -1)
        elif isinstance(old, bytes) and isinstance(new, bytes):
            found = owner.count(old) if old else len(owner) + 1
            _check_text(len(owner) + found * max(len(new) - len(old), 0))
    elif name == "translate" and args:
        table = args[0]
        longest = 1
        if isinstance(table, Mapping):
            longest = max((len(v) for v in table.values() if isinstance(v, str)), default=1)
        _check_text(len(owner) * max(longest, 1))
    return args


class _GuardedCodeGenerator(CodeGenerator):
    """Jinja's compiler, with `~` and literals checked and, without a timer, loops ticking.

    A list, tuple or dict literal is handed to `environment.built` as it is made,
    to be measured: `[ns.a, ns.a]` in a loop is how a value doubles. One of
    constants only (Jinja's optimizer makes most of those constants themselves)
    is no bigger than its text.
    """

    def visit_List(self, node: nodes.List, frame: Frame) -> None:
        self._built(super().visit_List, node, node.items, frame)

    def visit_Tuple(self, node: nodes.Tuple, frame: Frame) -> None:
        if node.ctx != "load":  # `{% for a, b in … %}`: names to assign, not a value
            super().visit_Tuple(node, frame)
        else:
            self._built(super().visit_Tuple, node, node.items, frame)

    def visit_Dict(self, node: nodes.Dict, frame: Frame) -> None:
        parts = [part for pair in node.items for part in (pair.key, pair.value)]
        self._built(super().visit_Dict, node, parts, frame)

    def _built(
        self,
        visit: Callable[[Any, Frame], None],
        node: nodes.Expr,
        parts: list[nodes.Expr],
        frame: Frame,
    ) -> None:
        if all(isinstance(part, nodes.Const) for part in parts):
            visit(node, frame)
            return
        self.write("environment.built(")
        visit(node, frame)
        self.write(")")

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        if frame.eval_ctx.volatile:
            join = "(markup_join if context.eval_ctx.volatile else str_join)"
        elif frame.eval_ctx.autoescape:
            join = "markup_join"
        else:
            join = "str_join"
        self.write(f"environment.joined({join}, (")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        if self._shows(frame):
            self.write("environment.shown(")
        else:
            super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        if self._shows(frame):
            self.write(")")
        else:
            super()._output_child_post(node, frame, finalize)

    def _shows(self, frame: Frame) -> bool:
        """Whether `{{ … }}` is written by the environment's `shown`: one call that
        finalizes and escapes for HTML, instead of `escape(environment.finalize(…))`."""
        shown = getattr(self.environment, "shown", None)
        return shown is not None and frame.eval_ctx.autoescape and not frame.eval_ctx.volatile

    def visit_For(self, node: nodes.For, frame: Frame) -> None:
        if isinstance(self.environment, GuardedSandbox) and not self.environment.guard.alarm:
            node.iter = nodes.Call(
                nodes.EnvironmentAttribute("looped"),
                [node.iter],
                [],
                None,
                None,
                lineno=node.iter.lineno,
            )
        super().visit_For(node, frame)


_CHANGING: dict[type, frozenset[str]] = {
    list: frozenset({"append", "clear", "extend", "insert", "pop", "remove", "reverse", "sort"}),
    dict: frozenset({"clear", "pop", "popitem", "setdefault", "update"}),
    set: frozenset(
        {"add", "clear", "difference_update", "discard", "intersection_update", "pop"}
        | {"remove", "symmetric_difference_update", "update"}
    ),
}
"""The methods that change the three kinds of collection a template sees most."""


def _changes(obj: Any, attr: str) -> bool:
    """Whether calling `obj.attr` would change `obj` (a list, dict, set or the like)."""
    changing = _CHANGING.get(type(obj))
    if changing is not None:
        return attr in changing
    return modifies_known_mutable(obj, attr)


def _guarded_tests(tests: Mapping[str, Any]) -> dict[str, Callable[..., bool]]:
    """The tests that print their value (`is lower`, `is upper`, `is divisibleby` on text)."""
    lower, upper, divisibleby = tests["lower"], tests["upper"], tests["divisibleby"]

    def is_lower(value: Any) -> bool:
        check_printable(value)
        return bool(lower(value))

    def is_upper(value: Any) -> bool:
        check_printable(value)
        return bool(upper(value))

    def is_divisibleby(value: Any, num: Any) -> bool:
        if isinstance(value, str | bytes):  # `"%999999999d" is divisibleby 1` formats
            check_printf(value, num)
        return bool(divisibleby(value, num))

    return {"lower": is_lower, "upper": is_upper, "divisibleby": is_divisibleby}


def _range(*args: Any) -> range:
    """`range()` with Jinja's limit, refused as a limit rather than an OverflowError."""
    numbers = range(*args)
    try:
        length = len(numbers)
    except OverflowError:
        length = MAX_RANGE + 1
    if length > MAX_RANGE:
        raise _refuse(f"a range of {length:,} numbers (at most {MAX_RANGE:,})")
    return numbers


def _lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:
    """`lipsum()`, refused when asked for more words than a text may hold."""
    if isinstance(n, int) and isinstance(max, int):
        _check_text(n * max * 12)
    return generate_lorem_ipsum(n, html, min, max)


class GuardedSandbox(SandboxedEnvironment):
    """Jinja's sandbox on a budget; see the module's docstring.

    It also reads `item.title` on a plain dict as its key first: kontrakt hands
    templates plain dicts, and the sandbox tries the attribute first, which for
    a dict key is a failed lookup and an exception on every use.
    """

    intercepted_binops = frozenset({"+", "*", "**", "%"})
    code_generator_class = _GuardedCodeGenerator

    def __init__(
        self,
        guard: Guard,
        extra_filters: Mapping[str, Callable[..., Any]],
        shown: Callable[[Any], str] | None = None,
        **options: Any,
    ) -> None:
        super().__init__(**options)
        self.guard = guard
        # What an autoescaped `{{ … }}` writes, finalized and escaped in one call
        # (the HTML pages'; see _GuardedCodeGenerator._shows); None: Jinja's way.
        self.shown = shown
        self.sizes = Sizes()
        self.globals["range"] = _range
        self.globals["namespace"] = type("Namespace", (GuardedNamespace,), {"sizes": self.sizes})
        self.globals["lipsum"] = _lipsum
        self.globals["cycler"] = self._cycler
        filters = {**self.filters, **extra_filters}
        self.filters = {name: _guard_filter(self, name, f) for name, f in filters.items()}
        self.tests = {**self.tests, **_guarded_tests(self.tests)}
        self.concat = self._concat  # type: ignore[method-assign]

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        """A template's globals as one plain dict, not Jinja's ChainMap over the
        environment's: each render copies them into its context, and copying a
        ChainMap looks every name up through each of its maps. kontrakt installs
        every global before the first template loads, as Jinja asks of all code."""
        return {**self.globals, **(d or {})}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """As Jinja's sandbox, and no method that changes a list, dict or set in place.

        Values are measured as they are made; one changed afterwards would change
        every value that holds it, unmeasured. Namespaces are for what changes.
        """
        return super().is_safe_attribute(obj, attr, value) and not _changes(obj, attr)

    def unsafe_undefined(self, obj: Any, attribute: str) -> Undefined:
        if not _changes(obj, attribute):
            return super().unsafe_undefined(obj, attribute)
        # A list is a list to the template's author, whichever class holds it.
        kind = next(
            (c.__name__ for c in type(obj).__mro__ if c in _COLLECTIONS), type(obj).__name__
        )
        return self.undefined(
            f"a template cannot change a {kind} in place (`{attribute}`); make a new "
            f"one instead, e.g. `{{% set ns.items = ns.items + [item] %}}` with a namespace",
            name=attribute,
            obj=obj,
            exc=SecurityError,
        )

    def _compile(self, source: str, filename: str) -> CodeType:
        """Python's compile() of the template's code, refused past MAX_COMPILED_CHARS."""
        if len(source) > MAX_COMPILED_CHARS:
            raise LimitExceeded(
                f"the template is too large to compile ({len(source) // 1024} KiB of code "
                f"from it, more than {MAX_COMPILED_CHARS // 1024} KiB); split it into "
                "smaller templates that include each other"
            )
        return super()._compile(source, filename)

    def built(self, value: Any) -> Any:
        """A list, tuple or dict literal, measured as it is made."""
        self.sizes.of(value)
        return value

    def _cycler(self, *items: Any) -> Cycler:
        self.sizes.together(items)  # a cycler keeps them as one tuple, `.items`
        return Cycler(*items)

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        _check_binop(operator, left, right)
        size = _sequence_size(self.sizes, operator, left, right)
        result = self.binop_table[operator](left, right)
        if size is not None:
            self.sizes.remember(result, size)
        elif operator == "%":
            check_value(result)
        return result

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        """Every call from a template: arguments, amplifying methods and the result checked.

        A macro that takes `varargs` or `kwargs` packs its extra arguments into one
        tuple or dict: those are measured together first. The result is measured
        unless it is a part of what a collection's method was called on.
        """
        __self.guard.tick()
        for value in args:
            check_value(value)
        for value in kwargs.values():
            check_value(value)
        reads = False
        if type(__obj) is BuiltinMethodType:
            owner = __obj.__self__
            if isinstance(owner, str | bytes):
                args = _check_text_method(owner, __obj.__name__, args)
            reads = isinstance(owner, _COLLECTIONS) and __obj.__name__ in _READERS
        elif isinstance(__obj, Macro) and (__obj.catch_varargs or __obj.catch_kwargs):
            named = __obj.arguments  # the rest is packed into `varargs` and `kwargs`
            __self.sizes.together(
                (*args[len(named) :], *(v for k, v in kwargs.items() if k not in named))
            )
        result = super().call(__context, __obj, *args, **kwargs)
        if not reads:  # `by_kind.get(…)` is a part of what was measured (or kontrakt's)
            __self.sizes.check(result)
        return result

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """`str.format` through a formatter that checks each field's width and the total."""
        if not isinstance(value, MethodType | BuiltinMethodType) or value.__name__ not in (
            "format",
            "format_map",
        ):
            return None
        text: Any = value.__self__
        if not isinstance(text, str):
            return None
        text_type = type(text)
        is_format_map = value.__name__ == "format_map"

        def wrapper(*args: Any, **kwargs: Any) -> str:
            formatter: SandboxedFormatter
            if isinstance(text, Markup):
                formatter = _GuardedEscapeFormatter(self, escape=text.escape)
            else:
                formatter = _GuardedFormatter(self)
            if is_format_map:
                if kwargs:
                    raise TypeError("format_map() takes no keyword arguments")
                if len(args) != 1:
                    raise TypeError(f"format_map() takes exactly one argument ({len(args)} given)")
                kwargs = args[0]
                args = ()
            return text_type(formatter.vformat(text, args, kwargs))

        return update_wrapper(wrapper, value)

    def joined(self, join: Callable[[Iterable[Any]], str], parts: tuple[Any, ...]) -> str:
        """`a ~ b`: the parts' lengths added up before they are joined."""
        self.guard.tick()
        size = 0
        for part in parts:
            size += len(part) if type(part) is str else measure(part)[0]
        _check_text(size)
        return join(parts)

    def looped(self, iterable: Iterable[Any]) -> Iterator[Any]:
        """A `for` loop's items, ticking the fallback clock as they go."""
        tick = self.guard.tick
        for count, item in enumerate(iterable):
            if not count & 0xFF:
                tick()
            yield item

    def _concat(self, parts: Iterable[str]) -> str:
        """A macro's, block's or `{% set %}` block's output, added up before it is joined."""
        self.guard.tick()
        if isinstance(parts, list):
            _check_text(sum(map(len, parts)))
            return "".join(parts)
        pieces: list[str] = []  # `{{ super() }}`: a block's chunks as they come
        chunks, size = iter(parts), 0
        while batch := list(islice(chunks, 4096)):
            size += sum(map(len, batch))
            _check_text(size)
            pieces.extend(batch)
            self.guard.tick()
        return "".join(pieces)


def generate(template: Template, context: dict[str, Any], guard: Guard) -> str:
    """Render a template chunk by chunk, stopping at MAX_OUTPUT_CHARS.

    This is Template.generate without its extra generator between each chunk
    and the reader (that layer costs as much as counting): the render function's
    chunks are read in batches, and an error is handed to Jinja to be given the
    template's lines, as Template.generate does. A limit is thrown into the
    template where it stands, so it carries the template's line like any other.
    """
    chunks = cast(
        Generator[str, None, None], template.root_render_func(template.new_context(context))
    )
    done: list[str] = []
    size = 0
    try:
        while True:
            batch = list(islice(chunks, 4096))
            if not batch:
                return "".join(done)
            size += sum(map(len, batch))
            if size > MAX_OUTPUT_CHARS:
                too_long = LimitExceeded(
                    f"the document would be longer than {MAX_OUTPUT_CHARS:,} characters"
                )
                chunks.throw(too_long)
                raise too_long  # a template cannot catch it; this is for the type checker
            try:
                guard.tick()
            except RenderStopped as stop:
                chunks.throw(stop)
                raise
            done.append("".join(batch))
    except Exception:
        template.environment.handle_exception()
        raise  # handle_exception raises; this is for the type checker
