"""Mutated portfolio files never make kontrakt raise, and every problem has a place.

Hypothesis takes real files of the bundled portfolio and cuts, duplicates and
swaps their bytes and lines; loading must always end in diagnostics that name a
file and a line inside it (or line 1 for a file that cannot be read at all).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kontrakt.load import load_portfolio

BUNDLED = Path(__file__).resolve().parent.parent / "portfolio"
FILES = sorted(p.relative_to(BUNDLED).as_posix() for p in BUNDLED.rglob("*.yaml"))


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    relative = draw(st.sampled_from(FILES))
    data = bytearray((BUNDLED / relative).read_bytes())
    for _ in range(draw(st.integers(1, 4))):
        operation = draw(
            st.sampled_from(["cut", "duplicate", "swap-bytes", "swap-lines", "insert", "truncate"])
        )
        if not data:
            break
        start = draw(st.integers(0, len(data) - 1))
        end = draw(st.integers(start, min(len(data), start + 40)))
        if operation == "cut":
            del data[start:end]
        elif operation == "duplicate":
            data[end:end] = data[start:end] * draw(st.integers(1, 3))
        elif operation == "swap-bytes" and end - start >= 2:
            data[start], data[end - 1] = data[end - 1], data[start]
        elif operation == "swap-lines":
            lines = bytes(data).split(b"\n")
            i = draw(st.integers(0, len(lines) - 1))
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            data = bytearray(b"\n".join(lines))
        elif operation == "insert":
            data[start:start] = draw(
                st.sampled_from(
                    [
                        b":",
                        b"- ",
                        b"  ",
                        b"\t",
                        b"[",
                        b"{",
                        b"&a ",
                        b"*a",
                        b"!!str ",
                        b"'",
                        b'"',
                        b"\xff",
                        b"\xc3",
                        b"\x00",
                        b"#",
                        b"---\n",
                        b"? ",
                        b"|",
                    ]
                )
            )
        elif operation == "truncate":
            del data[start:]
    return relative, bytes(data)


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(mutated(), min_size=1, max_size=3))
def test_mutated_files_never_raise(
    tmp_path_factory: object, changes: list[tuple[str, bytes]]
) -> None:
    root = tmp_path_factory.mktemp("mutated") / "portfolio"  # type: ignore[attr-defined]
    shutil.copytree(BUNDLED, root)
    for relative, data in changes:
        (root / relative).write_bytes(data)
    result = load_portfolio(root)
    for diagnostic in result.diagnostics:
        assert diagnostic.path.is_relative_to(root)
        assert diagnostic.line >= 1 and diagnostic.column >= 1
        text = diagnostic.path.read_bytes().decode("utf-8", "replace")
        lines = max(1, text.count("\n") + (0 if text.endswith("\n") else 1))
        assert diagnostic.line <= lines + 1, (diagnostic, lines)
        assert diagnostic.message and diagnostic.rule
