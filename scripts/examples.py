"""Keep the command output shown in README.md and docs/*.md the real output.

`make examples` runs this: it runs every marked command and writes its output into
the fenced block below the marker; tests/test_examples.py fails while a block
differs from what its command prints. A marker is an HTML comment (Markdown shows
none) on the line directly above the block:

    <!-- kontrakt: kontrakt status --as-of 2024-02-27 -->
    ```
    …what the command prints, exactly…
    ```

The command is written as in a shell: optionally `cd DIR &&` first (DIR relative to
the repository; else the command runs at its top), then any `NAME=VALUE` for the
environment (`COLUMNS=110`), then `kontrakt` and its arguments. Give every command
that depends on the day an `--as-of` date. It runs as `python -m kontrakt` in a fixed
environment: a terminal of 80 columns (unless COLUMNS says otherwise), no colour,
messages in the portfolio's language (unless `--lang` says otherwise), and what it
prints to standard output and error together, as a terminal shows them.

A file an example needs that the repository does not have is shown in the document
too, in a block marked `<!-- kontrakt-file: PATH -->`. The next command then runs in
a temporary folder that holds a copy of PATH's first folder (`portfolio/`) from where
the command would have run, with the file added: the paths it prints are the same.

`python scripts/examples.py --check` changes nothing and exits 1 when a block is
not its command's output.
"""

from __future__ import annotations

import difflib
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = ("README.md", "docs/*.md")
COLUMNS = "80"

_MARKER = re.compile(r"^<!-- kontrakt(?P<file>-file)?: (?P<text>.+?) -->\n", re.MULTILINE)
_BLOCK = re.compile(r"(?P<fence>```[^\n`]*)\n(?P<body>(?:.*\n)*?)```\n")
_SETTING = re.compile(r"[A-Z_][A-Z0-9_]*=")


class ExampleProblem(Exception):
    """A marker without a block, a command that cannot run, output a block cannot hold."""


@dataclass(frozen=True)
class Example:
    document: Path
    line: int  # of the marker, 1-based
    command: str
    shown: str  # the block's text now
    start: int  # where the block's text begins and ends in the document
    end: int
    files: dict[str, str] = field(default_factory=dict)  # path -> text, for the command

    @property
    def where(self) -> str:
        shown = self.document.relative_to(ROOT) if self.document.is_relative_to(ROOT) else None
        return f"{(shown or self.document).as_posix()}:{self.line}"


def documents() -> list[Path]:
    found: list[Path] = []
    for pattern in DOCUMENTS:
        found.extend(sorted(ROOT.glob(pattern)))
    return found


def examples_in(path: Path, text: str | None = None) -> list[Example]:
    """The marked examples of one document, in order."""
    text = path.read_text(encoding="utf-8") if text is None else text
    found: list[Example] = []
    files: dict[str, str] = {}
    for marker in _MARKER.finditer(text):
        line = text.count("\n", 0, marker.start()) + 1
        block = _BLOCK.match(text, marker.end())
        if block is None:
            raise ExampleProblem(
                f"{path.name}:{line}: a kontrakt marker must be directly above a ``` block"
            )
        if marker["file"]:
            files[_relative(marker["text"], path, line)] = block["body"]
            continue
        found.append(
            Example(
                path,
                line,
                marker["text"],
                block["body"],
                block.start("body"),
                block.end("body"),
                files,
            )
        )
        files = {}
    if files:
        raise ExampleProblem(f"{path.name}: a kontrakt-file marker with no command after it")
    return found


def _relative(name: str, path: Path, line: int) -> str:
    parts = PurePosixPath(name).parts
    if not parts or PurePosixPath(name).is_absolute() or ".." in parts or len(parts) < 2:
        raise ExampleProblem(f"{path.name}:{line}: write the file as FOLDER/…/NAME, inside")
    return name


def all_examples() -> list[Example]:
    return [example for path in documents() for example in examples_in(path)]


def environment(settings: dict[str, str]) -> dict[str, str]:
    """The same environment wherever the examples run: nothing of the user's language,
    terminal, CI or portfolio reaches the command."""
    env = {name: os.environ[name] for name in ("PATH", "SYSTEMROOT") if name in os.environ}
    env.update(
        {
            "LANG": "C.UTF-8",
            "PYTHONIOENCODING": "utf-8",
            "PYTHONUNBUFFERED": "1",  # standard output and error in the order printed
            "COLUMNS": COLUMNS,
            "LINES": "50",
            "NO_COLOR": "1",
            "TERM": "dumb",
        }
    )
    env.update(settings)
    return env


def run(example: Example) -> str:
    """What the example's command prints."""
    words = shlex.split(example.command)
    folder = ROOT
    if words[:1] == ["cd"]:
        if len(words) < 3 or words[2] != "&&":
            raise ExampleProblem(f"{example.where}: write `cd DIR && kontrakt …`")
        folder = ROOT / words[1]
        words = words[3:]
    settings: dict[str, str] = {}
    while words and _SETTING.match(words[0]):
        name, _, value = words.pop(0).partition("=")
        settings[name] = value
    if words[:1] != ["kontrakt"]:
        raise ExampleProblem(f"{example.where}: the command must be kontrakt, not {words[:1]}")
    with tempfile.TemporaryDirectory(prefix="kontrakt-example-") as scratch:
        if example.files:
            folder = _with_files(folder, Path(scratch), example.files)
        done = subprocess.run(
            [sys.executable, "-m", "kontrakt", *words[1:]],
            cwd=folder,
            env=environment(settings),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            timeout=120,
            check=False,
        )
    output = done.stdout.decode("utf-8")
    if done.returncode > 2 or "Traceback (most recent call last)" in output:
        raise ExampleProblem(f"{example.where}: `{example.command}` failed:\n{output}")
    if output and not output.endswith("\n"):
        output += "\n"
    if any(line.startswith("```") for line in output.splitlines()):
        raise ExampleProblem(f"{example.where}: the output holds a ``` line")
    return output


def _with_files(folder: Path, scratch: Path, files: dict[str, str]) -> Path:
    """A copy of the folders the files go into, from `folder`, with the files added."""
    for name, text in files.items():
        top = PurePosixPath(name).parts[0]
        if not (scratch / top).exists():
            shutil.copytree(folder / top, scratch / top, symlinks=True)
        target = scratch / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return scratch


def difference(example: Example, output: str) -> str:
    """The block against the command's output, as a unified diff."""
    return "".join(
        difflib.unified_diff(
            example.shown.splitlines(keepends=True),
            output.splitlines(keepends=True),
            f"{example.where} (the block)",
            f"{example.command} (its output)",
        )
    )


def update(path: Path) -> bool:
    """Write each example's output into its block; True when the document changed."""
    from kontrakt.write import write_text_atomic

    text = path.read_text(encoding="utf-8")
    pieces: list[str] = []
    position = 0
    for example in examples_in(path, text):
        pieces += [text[position : example.start], run(example)]
        position = example.end
    pieces.append(text[position:])
    new = "".join(pieces)
    if new == text:
        return False
    write_text_atomic(path, new)
    return True


def main(arguments: list[str]) -> int:
    if arguments not in ([], ["--check"]):
        raise SystemExit("usage: examples.py [--check]")
    if arguments:
        stale = 0
        for example in all_examples():
            output = run(example)
            if output != example.shown:
                stale += 1
                print(difference(example, output))
        print(f"{stale} example(s) differ from their command's output" if stale else "ok")
        return 1 if stale else 0
    for path in documents():
        if update(path):
            print(f"wrote {path.relative_to(ROOT).as_posix()}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except ExampleProblem as problem:
        sys.exit(f"examples.py: {problem}")
