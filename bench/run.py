"""`make bench`: kontrakt's speed, every ratio from two commands run side by side.

A machine's speed drifts from minute to minute (other work, caches, clocks), so no
ratio here divides two medians taken at different times. Each row runs its two
commands alternately in one series (A B A B …, after one pair not counted); its
ratio is the median of the pairs' own ratios B ÷ A, shown with the least and the
greatest pair. Every process is whole (start-up included), with
PYDANTIC_DISABLE_PLUGINS=__all__ as kontrakt sets by default, and kontrakt's
modules are compiled to bytecode first, as installing a wheel does, and its
templates compiled, as `make` does.

The rows:
- At each size (the bundled portfolio, and synthetic portfolios of 1 000 and
  10 000 files from bench/generate.py): `kontrakt check` against the floor
  (bench/floor.py: read, parse with kontrakt's own parser, validate with the same
  models, nothing else) and against its peers on the same files: yamllint with
  its default configuration, pre-commit's check-yaml, and check-jsonschema with
  the schemas of `kontrakt schema` (one run per kind).
- At the largest size, every other command against `check`: budget, status,
  report, agenda, the HTML report, calendar, meetings, decisions, `fmt --check`,
  `diff` of two revisions with 10 files changed, each editing command (on a
  copy, its file put back before each run), and the site into a new folder;
  `check` at 10 000 against `check` at 1 000 (linearity). The site's rebuild
  after one changed file is counted (files written), and the peak memory of
  check and site is the largest of their runs.
- On the bundled portfolio: `kontrakt --help` and `check` against
  `python -c "import typer, pydantic"`, the documents against the Markdown of
  the same command, and the site.
- `--release` adds one run of `check` at 100 000 files: its time against 10 000
  (linearity) and its peak memory per file.

It writes the tables to docs/performance.md.

    python bench/run.py [--runs N] [--sizes 1000,10000] [--release] [--output FILE]
                        [--only-documents]
"""

from __future__ import annotations

import argparse
import compileall
import itertools
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generate import generate

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BIN = Path(sys.executable).parent
ENV = {**os.environ, "PYDANTIC_DISABLE_PLUGINS": "__all__", "KONTRAKT_LANG": "en"}
KINDS = ("initiatives", "budget", "events", "meetings", "news", "questions", "actions")
SCHEMA = {
    "initiatives": "initiative",
    "budget": "budget",
    "events": "event",
    "meetings": "meeting",
    "news": "news",
    "questions": "question",
    "actions": "action",
}
AS_OF = "2024-06-01"
CHANGED = 10  # files changed between the two revisions `diff` compares


@dataclass(frozen=True)
class Command:
    """What one side of a pair runs: one process or several one after another (the
    times added), with something to do before each run that is not timed."""

    shown: str
    processes: list[list[str]]
    cwd: Path = REPO
    prepare: Callable[[], None] | None = None
    may_fail: bool = False  # a linter that finds style problems still did its work


@dataclass(frozen=True)
class Timing:
    seconds: float
    peak_mib: float
    output: str = ""


def run_once(command: Command) -> Timing:
    """Wall time and peak resident memory (wait4 gives each process its own rusage)."""
    if command.prepare is not None:
        command.prepare()
    seconds, peak, output = 0.0, 0.0, []
    for argv in command.processes:
        start = time.perf_counter()
        process = subprocess.Popen(
            argv, cwd=command.cwd, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        assert process.stdout is not None
        out = process.stdout.read()
        _, status, usage = os.wait4(process.pid, 0)
        seconds += time.perf_counter() - start
        code = process.returncode = os.waitstatus_to_exitcode(status)
        if code != 0 and not command.may_fail:  # a command that fails is not a time
            raise SystemExit(f"bench: {' '.join(argv)} exited with {code}")
        peak = max(peak, usage.ru_maxrss / 1024)
        output.append(out.decode("utf-8", "replace"))
    return Timing(seconds, peak, "".join(output))


@dataclass(frozen=True)
class Pair:
    """Two commands run alternately: medians of each, and of the pairs' ratios B ÷ A."""

    label: str
    a: Command
    b: Command
    target: float | None
    a_times: tuple[float, ...]
    b_times: tuple[float, ...]
    a_peak: float
    b_peak: float

    @property
    def ratios(self) -> list[float]:
        return [b / a for a, b in zip(self.a_times, self.b_times, strict=True)]

    @property
    def median(self) -> float:
        return statistics.median(self.ratios)

    @property
    def verdict(self) -> str:
        if self.target is None:
            return ""
        return "met" if self.median <= self.target else "**not met**"


def paired(label: str, a: Command, b: Command, target: float | None, runs: int) -> Pair:
    """Run A then B, `runs` times over in one series (after one pair not counted)."""
    run_once(a)
    run_once(b)
    a_runs: list[Timing] = []
    b_runs: list[Timing] = []
    for _ in range(runs):
        a_runs.append(run_once(a))
        b_runs.append(run_once(b))
    result = Pair(
        label,
        a,
        b,
        target,
        tuple(t.seconds for t in a_runs),
        tuple(t.seconds for t in b_runs),
        max(t.peak_mib for t in a_runs),
        max(t.peak_mib for t in b_runs),
    )
    ratios = result.ratios
    shown_target = f"(≤ {target}) {result.verdict.strip('*')}" if target is not None else ""
    print(
        f"{label:<44} {statistics.median(result.a_times):.3f} s → "
        f"{statistics.median(result.b_times):.3f} s  ×{min(ratios):.2f} / "
        f"×{result.median:.2f} / ×{max(ratios):.2f}  {shown_target}",
        flush=True,
    )
    return result


def kontrakt(*args: str) -> list[str]:
    return [str(BIN / "kontrakt"), *args]


def check(root: Path, shown: str) -> Command:
    return Command(f"kontrakt check {shown}", [kontrakt("check", str(root))])


def yaml_files(root: Path) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*.yaml"))


def peers(root: Path, schemas: Path, where: str) -> list[tuple[str, Command]]:
    """The other checkers of the same files, each run as its users run it."""
    files = yaml_files(root)
    jsonschema = [
        [
            str(BIN / "check-jsonschema"),
            "--schemafile",
            str(schemas / "settings.schema.json"),
            "kontrakt.yaml",
        ]
    ]
    for folder in KINDS:
        kind_files = sorted(f for f in files if f.startswith(f"{folder}/"))
        if kind_files:
            schema = schemas / f"{SCHEMA[folder]}.schema.json"
            jsonschema.append(
                [str(BIN / "check-jsonschema"), "--schemafile", str(schema), *kind_files]
            )
    return [
        (
            "floor",
            Command(
                f"bench/floor.py {where}", [[sys.executable, str(HERE / "floor.py"), "."]], root
            ),
        ),
        (
            "yamllint",
            Command(f"yamllint {where}", [[str(BIN / "yamllint"), "."]], root, None, True),
        ),
        (
            "check-yaml",
            Command(f"check-yaml {where}/**.yaml", [[str(BIN / "check-yaml"), *files]], root),
        ),
        (
            "check-jsonschema",
            Command(f"check-jsonschema, a run per kind, {where}", jsonschema, root),
        ),
    ]


def at_size(
    root: Path, schemas: Path, shown: str, where: str, runs: int, floor_target: float | None
) -> list[Pair]:
    """`check` against the floor and the peers on one portfolio (`where`, as shown)."""
    targets = {"floor": floor_target, "yamllint": 1.0, "check-yaml": 1.0, "check-jsonschema": 1.0}
    return [
        paired(f"check ÷ {name} at {shown}", peer, check(root, where), targets[name], runs)
        for name, peer in peers(root, schemas, where)
    ]


def commands_at_largest(root: Path, size: int, work: Path, runs: int) -> list[Pair]:
    """Every other command against `check` of the same portfolio."""
    shown = f"at {size}"
    base = check(root, f"portfolio-{size}")
    p = ("-p", str(root))
    html = work / f"report-{size}.html"
    cases = [
        ("budget", ["budget", *p]),
        ("status", ["status", *p, "--as-of", AS_OF]),
        ("report", ["report", *p, "--as-of", AS_OF]),
        ("agenda", ["agenda", "2024-01-01", *p]),
        ("budget by funder", ["budget", *p, "--by", "funder"]),
        ("budget by month", ["budget", *p, "--by", "month"]),
        ("report html", ["report", *p, "--as-of", AS_OF, "--format", "html", "-o", str(html)]),
        ("calendar", ["calendar", *p]),
        ("meetings", ["meetings", *p]),
        ("decisions", ["decisions", *p]),
        ("fmt --check", ["fmt", "--check", str(root)]),
    ]
    pairs = [
        paired(
            f"{name} ÷ check {shown}",
            base,
            Command(
                f"kontrakt {' '.join(args)}".replace(str(root), f"portfolio-{size}"),
                [kontrakt(*args)],
            ),
            1.5,
            runs,
        )
        for name, args in cases
    ]
    repository = revisions(root, work / f"repository-{size}")
    pairs.append(
        paired(
            f"diff ÷ check {shown} ({CHANGED} files changed)",
            check(repository, f"portfolio-{size}"),
            Command(
                f"kontrakt diff HEAD~1 HEAD (portfolio-{size}, {CHANGED} files changed)",
                [kontrakt("diff", "HEAD~1", "HEAD", "-p", str(repository), "-f", "markdown")],
                repository,
            ),
            1.5,
            runs,
        )
    )
    pairs += editing(root, size, work, base, runs)
    pairs.append(site_pair(root, base, work, shown, runs))
    return pairs


# The editing commands on a copy of the portfolio, each run on the files as they
# were: the files it writes, put back before the next run (untimed).
EDITS = [
    (
        "set-status",
        ["set-status", "initiativ-0", "ongoing", "--on", AS_OF, "--entered", "2024-01-01"],
        ["initiatives/initiativ-0.yaml"],
    ),
    (
        "note",
        ["note", "initiativ-0", "Ett steg framåt", "--on", AS_OF],
        ["initiatives/initiativ-0.yaml"],
    ),
    ("decide", ["decide", "rad-1", "--on", AS_OF], ["budget/rad-1.yaml"]),
    ("spend", ["spend", "rad-0", "1000", "--on", AS_OF], ["budget/rad-0.yaml"]),
    ("answer", ["answer", "fraga-0", "Ja", "--on", AS_OF], ["questions/fraga-0.yaml"]),
    (
        "move",
        ["move", "2024-01-01-core-team", "--city", "Eskilstuna"],
        ["meetings/2024-01-01-core-team.yaml"],
    ),
    (
        "new initiative",
        ["new", "initiative", "Ny sak"],
        ["initiatives/ny-sak.yaml", ".kontrakt/schema/initiative.schema.json"],
    ),
]


def editing(root: Path, size: int, work: Path, base: Command, runs: int) -> list[Pair]:
    """Each editing command (it checks the whole portfolio with its change, then
    writes one file) against `check` of the same portfolio."""
    copy = work / f"editing-{size}"
    shutil.copytree(root, copy)
    pairs = []
    for name, args, touched in EDITS:
        pairs.append(
            paired(
                f"{name} ÷ check at {size}",
                base,
                Command(
                    f"kontrakt {' '.join(args)} -p portfolio-{size}",
                    [kontrakt(*args, "-p", str(copy))],
                    prepare=put_back(copy, touched),
                ),
                1.5,
                runs,
            )
        )
    return pairs


def put_back(root: Path, touched: list[str]) -> Callable[[], None]:
    """Before a run: the files a command writes as they were before its first run
    (a file it makes, removed)."""
    saved = {
        name: (root / name).read_bytes() if (root / name).exists() else None for name in touched
    }

    def prepare() -> None:
        for name, data in saved.items():
            if data is None:
                (root / name).unlink(missing_ok=True)
            else:
                (root / name).write_bytes(data)

    return prepare


def revisions(root: Path, repository: Path) -> Path:
    """A git repository of the portfolio with a second commit changing CHANGED files."""
    shutil.copytree(root, repository)
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid"]
    subprocess.run([*git, "init", "-q", "-b", "main"], cwd=repository, check=True)
    subprocess.run([*git, "add", "-A"], cwd=repository, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "first"], cwd=repository, check=True)
    for path in sorted((repository / "initiatives").glob("*.yaml"))[:CHANGED]:
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("title: ", "title: Ändrad ", 1), encoding="utf-8")
    subprocess.run([*git, "commit", "-q", "-am", "second"], cwd=repository, check=True)
    return repository


def set_aside(folder: Path) -> Callable[[], None]:
    """Before a run: the last run's `folder` moved away, so the run builds a new one.

    Moved (a rename), not removed: ext4 will not give a new file an inode freed
    in the last minute or so, and looks past every such inode for each new file;
    a site built right after the last one was removed spent most of its time
    there (0.2 ms a file, against 0.01 ms), which measured the file system's
    bookkeeping, not kontrakt, and no build in CI meets. The folders set aside
    go with the work folder at the end."""
    runs = itertools.count()

    def prepare() -> None:
        if folder.exists():
            folder.rename(folder.with_name(f"{folder.name}.{next(runs)}"))

    return prepare


def site_pair(root: Path, base: Command, work: Path, shown: str, runs: int) -> Pair:
    """The site built into a new folder each time (the last one set aside, untimed)."""
    folder = work / "site"
    site = Command(
        f"kontrakt site into a new folder ({shown.removeprefix('at ')} files)",
        [kontrakt("site", "-p", str(root), "--as-of", AS_OF, "-o", str(folder))],
        prepare=set_aside(folder),
    )
    return paired(f"site ÷ check {shown}", base, site, 3.0, runs)


@dataclass(frozen=True)
class Rebuild:
    files: int  # in the site
    written: int  # by a rebuild after one initiative's file changed


def site_rebuild(root: Path, work: Path) -> Rebuild:
    """Build the site, change one initiative's title, build again: how many files did
    the second build write (the CLI's own count)?"""
    folder = work / "site-rebuild"
    shutil.rmtree(folder, ignore_errors=True)
    build = Command(
        "site", [kontrakt("site", "-p", str(root), "--as-of", AS_OF, "-o", str(folder))]
    )
    run_once(build)
    files = sum(1 for path in folder.rglob("*") if path.is_file()) - 1  # not the manifest
    changed = sorted((root / "initiatives").glob("*.yaml"))[0]
    original = changed.read_text(encoding="utf-8")
    try:
        changed.write_text(original.replace("title: ", "title: Ändrad ", 1), encoding="utf-8")
        out = run_once(build).output
    finally:
        changed.write_text(original, encoding="utf-8")
    written = re.search(r"(\d+) files? written", out)
    return Rebuild(files, int(written.group(1)) if written else -1)


def bundled(work: Path, schemas: Path, runs: int) -> list[Pair]:
    """Start-up, peers, the site and the documents on the bundled portfolio."""
    root = REPO / "portfolio"
    shown = f"bundled ({len(yaml_files(root))} files)"
    imports = Command(
        'python -c "import typer, pydantic"', [[sys.executable, "-c", "import typer, pydantic"]]
    )
    base = check(root, "portfolio")
    folder = work / "bundled-site"
    pairs = [
        paired("bundled: check ÷ import typer, pydantic", imports, base, 1.6, runs),
        paired(
            "bundled: --help ÷ check",
            base,
            Command("kontrakt --help", [kontrakt("--help")]),
            0.8,
            runs,
        ),
        *at_size(root, schemas, shown, "portfolio", runs, None),
        paired(
            "bundled: site ÷ check",
            base,
            Command(
                "kontrakt site -p portfolio into a new folder",
                [kontrakt("site", "-p", str(root), "-o", str(folder))],
                prepare=set_aside(folder),
            ),
            None,
            runs,
        ),
    ]
    return pairs + documents_bundled(work, runs)


def documents_bundled(work: Path, runs: int) -> list[Pair]:
    """Each document format against the Markdown of the same command, bundled portfolio."""
    out = work / "documents"
    out.mkdir(exist_ok=True)
    agenda = ("agenda", "2024-02-27")
    report = ("report", "--as-of", "2024-02-27")
    cases = [
        (agenda, "html", ()),
        (agenda, "docx", ()),
        (agenda, "pptx", ()),
        (report, "html", ()),
        (report, "docx", ()),
        (("budget",), "xlsx", ("--format", "markdown")),
    ]
    pairs = []
    for command, fmt, markdown in cases:
        file = f"{command[0]}.{fmt}"
        a = [*command, "-p", "portfolio", *markdown]
        b = [*command, "-p", "portfolio", "--format", fmt, "-o"]
        pairs.append(
            paired(
                f"bundled: {command[0]} {fmt} ÷ markdown",
                Command(f"kontrakt {' '.join(a)}", [kontrakt(*a)]),
                Command(f"kontrakt {' '.join(b)} {file}", [kontrakt(*b, str(out / file))]),
                2.0,
                runs,
            )
        )
    return pairs


@dataclass(frozen=True)
class Release:
    files: int
    seconds: float
    peak_mib: float
    seconds_at_10000: float

    @property
    def kib_per_file(self) -> float:
        return self.peak_mib * 1024 / self.files


def release_row(work: Path) -> Release:
    """`check` at 100 000 files once, and at 10 000 once beside it."""
    big, small = work / "portfolio-100000", work / "portfolio-10000"
    generate(100_000, big)
    if not small.exists():
        generate(10_000, small)
    large = run_once(check(big, "portfolio-100000"))
    return Release(100_000, large.seconds, large.peak_mib, run_once(check(small, "")).seconds)


def compile_kontrakt() -> None:
    """Bytecode for kontrakt's modules, as a wheel's installation writes it, and its
    templates compiled (as `make` sets kontrakt up: kontrakt/render/precompiled.py).

    An editable install under PYTHONDONTWRITEBYTECODE (as on some CI machines)
    would otherwise compile every module from source in every timed run.
    """
    located = subprocess.run(
        [sys.executable, "-c", "import kontrakt; print(kontrakt.__file__)"],
        check=True,
        capture_output=True,
        text=True,
    )
    compileall.compile_dir(Path(located.stdout.strip()).parent, quiet=1)
    subprocess.run(
        [sys.executable, "-m", "kontrakt.render.precompiled"], check=True, capture_output=True
    )


def machine() -> str:
    model = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kb = int(meminfo.read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GiB memory"
    return (
        f"{model}, {os.cpu_count()} cores{memory}; {platform.system()} "
        f"{platform.release()}; Python {platform.python_version()}"
    )


@dataclass
class Results:
    sections: list[tuple[str, list[Pair]]] = field(default_factory=list)
    rebuild: Rebuild | None = None
    release: Release | None = None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5, help="pairs per row (bundled: twice)")
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--release", action="store_true", help="add check at 100 000 files")
    parser.add_argument("--output", type=Path, default=REPO / "docs" / "performance.md")
    parser.add_argument(
        "--only-documents",
        action="store_true",
        help="time only the document formats in pairs, print them, write nothing",
    )
    options = parser.parse_args()
    sizes = sorted(int(size) for size in options.sizes.split(","))
    compile_kontrakt()
    work = Path(tempfile.mkdtemp(prefix="kontrakt-bench-"))
    results = Results()
    try:
        if options.only_documents:
            documents_bundled(work, options.runs * 2)
            return
        schemas = work / "schemas"
        subprocess.run(
            kontrakt("schema", "--output-dir", str(schemas)), check=True, capture_output=True
        )
        results.sections.append(("The bundled portfolio", bundled(work, schemas, options.runs * 2)))
        roots = {}
        for size in sizes:
            root = roots[size] = work / f"portfolio-{size}"
            generate(size, root)
            pairs = at_size(root, schemas, f"{size}", f"portfolio-{size}", options.runs, 1.2)
            if size == sizes[-1]:
                pairs += commands_at_largest(root, size, work, options.runs)
                results.rebuild = site_rebuild(root, work)
            results.sections.append((f"{size} files", pairs))
        if len(sizes) > 1:
            small, large = sizes[-2], sizes[-1]
            results.sections.append(
                (
                    "Linearity",
                    [
                        paired(
                            f"check at {large} ÷ check at {small}",
                            check(roots[small], f"portfolio-{small}"),
                            check(roots[large], f"portfolio-{large}"),
                            round(large / small * 1.1, 1),
                            options.runs,
                        )
                    ],
                )
            )
        if options.release:
            results.release = release_row(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    options.output.write_text(report(results, options.runs), encoding="utf-8")
    print(f"wrote {options.output}")


def report(results: Results, runs: int) -> str:
    lines = [
        "# Performance",
        "",
        "Written by `make bench` (bench/run.py); do not edit by hand. Every ratio comes",
        f"from one series of {runs} pairs ({runs * 2} on the bundled portfolio): the two",
        "commands run alternately (A B A B …, after one pair not counted): the median of",
        "the pairs' own ratios B ÷ A, with the least and the greatest. Each command is a",
        "whole process, start-up included. The synthetic portfolios come from",
        "bench/generate.py, with the real portfolio's proportions of kinds and references.",
        "The floor (bench/floor.py) reads the files, parses them with kontrakt's own",
        "parser and validates them with kontrakt's models, and does nothing else. yamllint",
        "runs with its default configuration; check-jsonschema checks against",
        "`kontrakt schema`, one run per kind, times added up. The site is built into",
        "a new folder each run, the last run's moved aside, not removed: on ext4, files",
        "made just after thousands were removed cost twenty times as much to create.",
        "",
        f"Machine: {machine()}.",
    ]
    for title, pairs in results.sections:
        lines += [
            "",
            f"## {title}",
            "",
            "| ratio | A | B | A median | B median | min | median | max | target | |",
            "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        ]
        for p in pairs:
            target = f"≤ {p.target}" if p.target is not None else "–"
            lines.append(
                f"| {p.label} | `{p.a.shown}` | `{p.b.shown}` "
                f"| {statistics.median(p.a_times):.3f} s | {statistics.median(p.b_times):.3f} s "
                f"| {min(p.ratios):.2f} | {p.median:.2f} | {max(p.ratios):.2f} | {target} "
                f"| {p.verdict} |"
            )
    lines += [
        "",
        "## Memory and rebuilds",
        "",
        "| what | measured | target | |",
        "| --- | ---: | ---: | --- |",
    ]
    for _title, pairs in results.sections:
        for p in pairs:
            if p.label.startswith("check ÷ floor at "):
                size = p.label.removeprefix("check ÷ floor at ")
                lines.append(_limit(f"peak memory of check at {size} (MiB)", p.b_peak, 200))
            if p.label.startswith("site ÷ check at "):
                size = p.label.removeprefix("site ÷ check at ")
                lines.append(_limit(f"peak memory of site at {size} (MiB)", p.b_peak, 300))
            if p.label == "bundled: site ÷ check":
                seconds = statistics.median(p.b_times)
                lines.append(_limit("bundled: kontrakt site (s)", seconds, 1.0, "{:.3f}"))
    if results.rebuild is not None:
        rebuild = results.rebuild
        lines.append(
            f"| site rebuild after one initiative's title changed: files written "
            f"(of {rebuild.files}) | {rebuild.written} | only what changed | |"
        )
    if results.release is not None:
        release = results.release
        lines += [
            "",
            "## Once per release: 100 000 files",
            "",
            "| what | measured | target | |",
            "| --- | ---: | ---: | --- |",
            _limit(
                "check at 100 000 (s)", release.seconds, release.seconds_at_10000 * 11, "{:.2f}"
            ),
            _limit("peak memory per file (KiB)", release.kib_per_file, 2.0, "{:.2f}"),
        ]
    return "\n".join(lines) + "\n"


def _limit(what: str, value: float, limit: float, shape: str = "{:.0f}") -> str:
    verdict = "met" if value < limit else "**not met**"
    return f"| {what} | {shape.format(value)} | < {shape.format(limit)} | {verdict} |"


if __name__ == "__main__":
    main()
