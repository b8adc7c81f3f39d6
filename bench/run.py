"""`make bench`: kontrakt's speed against the floor, as whole processes, medians.

For synthetic portfolios of 100, 1 000 and 10 000 files (bench/generate.py) it
times `kontrakt check`, `budget`, `status`, `report` and `agenda`, beside:
(a) bench/floor.py, which only parses the same files with PyYAML's C loader and
validates them with kontrakt's models, and (b) check-jsonschema with the schemas
from `kontrakt schema`, one run per kind. On the bundled portfolio it times
`kontrakt check` and `kontrakt --help` against `python -c "import typer, pydantic"`
and against bench/stack.py, the least a Typer command validating with Pydantic costs.
It writes the table, the ratios and the targets to docs/performance.md.

The documents (agenda as HTML, Word and PowerPoint, report as HTML and Word,
budget as Excel) are timed in pairs against the Markdown of the same command on
the bundled portfolio, and the HTML report against `kontrakt check` at the
largest size: the two commands run alternately in one series (A B A B …, after
one pair to warm up), each ratio is the median of the pairs' own ratios, and the
table shows the least and greatest pair beside it. `--only-documents` runs just
these pairs and prints them, writing nothing.

Every process runs with PYDANTIC_DISABLE_PLUGINS=__all__, as kontrakt sets by
default, so the references are not slowed by a scan of installed packages; and
kontrakt's modules are compiled to bytecode first, as installing a wheel does.

    python bench/run.py [--runs N] [--sizes 100,1000,10000] [--output docs/performance.md]
                        [--only-documents]
"""

from __future__ import annotations

import argparse
import compileall
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from generate import generate

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BIN = Path(sys.executable).parent
ENV = {**os.environ, "PYDANTIC_DISABLE_PLUGINS": "__all__"}
STACK = "a Typer command validating one Pydantic model (bench/stack.py)"
KINDS = ("initiatives", "budget", "events", "meetings", "news", "questions")
SCHEMA = {
    "initiatives": "initiative",
    "budget": "budget",
    "events": "event",
    "meetings": "meeting",
    "news": "news",
    "questions": "question",
}


@dataclass(frozen=True)
class Timing:
    seconds: float
    peak_mib: float


def run_once(command: list[str], cwd: Path) -> Timing:
    """Wall time and peak resident memory of one process (wait4 gives its own rusage)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    code = process.returncode = os.waitstatus_to_exitcode(status)
    if code != 0:  # a command that fails is not a time to report
        raise SystemExit(f"bench: {' '.join(command)} exited with {code}")
    return Timing(elapsed, usage.ru_maxrss / 1024)


def measure(commands: list[list[str]], cwd: Path, runs: int) -> Timing:
    """The median over `runs` of running all `commands` one after the other."""
    totals: list[float] = []
    peak = 0.0
    for _ in range(runs):
        timings = [run_once(command, cwd) for command in commands]
        totals.append(sum(t.seconds for t in timings))
        peak = max([peak, *(t.peak_mib for t in timings)])
    return Timing(statistics.median(totals), peak)


@dataclass(frozen=True)
class Pair:
    """Two commands run alternately: medians of each, and of the pairs' ratios B ÷ A."""

    label: str
    a: str
    b: str
    target: float
    a_seconds: float
    b_seconds: float
    ratios: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.ratios)

    @property
    def verdict(self) -> str:
        return "PASS" if self.median <= self.target else "**FAIL**"


def paired(
    label: str,
    a: tuple[str, list[str]],
    b: tuple[str, list[str]],
    target: float,
    cwd: Path,
    runs: int,
) -> Pair:
    """Run A then B, `runs` times over in one series (after one pair not counted)."""
    (a_shown, a_command), (b_shown, b_command) = a, b
    run_once(a_command, cwd)
    run_once(b_command, cwd)
    a_times: list[float] = []
    b_times: list[float] = []
    for _ in range(runs):
        a_times.append(run_once(a_command, cwd).seconds)
        b_times.append(run_once(b_command, cwd).seconds)
    result = Pair(
        label,
        a_shown,
        b_shown,
        target,
        statistics.median(a_times),
        statistics.median(b_times),
        tuple(bt / at for at, bt in zip(a_times, b_times, strict=True)),
    )
    print(
        f"{label:<34} {result.a_seconds:.3f} s → {result.b_seconds:.3f} s  "
        f"×{min(result.ratios):.2f} / ×{result.median:.2f} / ×{max(result.ratios):.2f}  "
        f"(≤ {target}) {result.verdict.strip('*')}",
        flush=True,
    )
    return result


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
                f"{command[0]} {fmt} ÷ markdown",
                (f"kontrakt {' '.join(a)}", kontrakt(*a)),
                (f"kontrakt {' '.join(b)} {file}", kontrakt(*b, str(out / file))),
                2.0,
                REPO,
                runs,
            )
        )
    return pairs


def report_html_at_size(root: Path, size: int, work: Path, runs: int) -> Pair:
    """The HTML report against `kontrakt check` on a synthetic portfolio."""
    html = work / f"report-{size}.html"
    report = ("report", "-p", str(root), "--as-of", "2024-06-01", "--format", "html")
    return paired(
        f"report html ÷ check at {size}",
        (f"kontrakt check portfolio-{size}", kontrakt("check", str(root))),
        (
            f"kontrakt report -p portfolio-{size} --as-of 2024-06-01 --format html -o {html.name}",
            kontrakt(*report, "-o", str(html)),
        ),
        1.5,
        work,
        runs,
    )


def kontrakt(*args: str) -> list[str]:
    return [str(BIN / "kontrakt"), *args]


def jsonschema_commands(root: Path, schemas: Path) -> list[list[str]]:
    commands = [
        [
            str(BIN / "check-jsonschema"),
            "--schemafile",
            str(schemas / "settings.schema.json"),
            str(root / "kontrakt.yaml"),
        ]
    ]
    for folder in KINDS:
        files = sorted(str(p) for p in (root / folder).glob("*.yaml"))
        if files:
            schema = schemas / f"{SCHEMA[folder]}.schema.json"
            commands.append([str(BIN / "check-jsonschema"), "--schemafile", str(schema), *files])
    return commands


def compile_kontrakt() -> None:
    """Bytecode for kontrakt's modules, as a wheel's installation writes it.

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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--output", type=Path, default=REPO / "docs" / "performance.md")
    parser.add_argument(
        "--only-documents",
        action="store_true",
        help="time only the document formats in pairs, print them, write nothing",
    )
    options = parser.parse_args()
    sizes = [int(size) for size in options.sizes.split(",")]
    compile_kontrakt()
    work = Path(tempfile.mkdtemp(prefix="kontrakt-bench-"))
    results: dict[int, dict[str, Timing]] = {}
    documents: list[Pair] = []
    try:
        if options.only_documents:
            documents = documents_bundled(work, options.runs * 2)
            root = work / f"portfolio-{max(sizes)}"
            generate(max(sizes), root)
            documents.append(report_html_at_size(root, max(sizes), work, options.runs * 2))
            return
        schemas = work / "schemas"
        subprocess.run(
            kontrakt("schema", "--output-dir", str(schemas)), check=True, capture_output=True
        )
        for size in sizes:
            root = work / f"portfolio-{size}"
            generate(size, root)
            commands = {
                "check": [kontrakt("check", str(root))],
                "budget": [kontrakt("budget", "-p", str(root))],
                "status": [kontrakt("status", "-p", str(root), "--as-of", "2024-06-01")],
                "report": [kontrakt("report", "-p", str(root), "--as-of", "2024-06-01")],
                "agenda": [kontrakt("agenda", "2024-01-01", "-p", str(root))],
                "floor": [[sys.executable, str(HERE / "floor.py"), str(root)]],
                "check-jsonschema": jsonschema_commands(root, schemas),
            }
            results[size] = {}
            for name, command in commands.items():
                results[size][name] = measure(command, work, options.runs)
                print(f"{size:>6} {name:<17} {results[size][name].seconds:.3f} s", flush=True)
            if size == max(sizes):
                documents.append(report_html_at_size(root, size, work, options.runs * 2))
        bundled = {
            "import typer, pydantic": measure(
                [[sys.executable, "-c", "import typer, pydantic"]], REPO, options.runs * 2
            ),
            STACK: measure(
                [[sys.executable, str(HERE / "stack.py"), "check", "portfolio"]],
                REPO,
                options.runs * 2,
            ),
            "kontrakt check": measure([kontrakt("check", "portfolio")], REPO, options.runs * 2),
            "kontrakt --help": measure([kontrakt("--help")], REPO, options.runs * 2),
        }
        documents = documents_bundled(work, options.runs * 2) + documents
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = report(results, bundled, options.runs) + documents_report(documents, options.runs * 2)
    options.output.write_text(text, encoding="utf-8")
    print(f"wrote {options.output}")


def report(results: dict[int, dict[str, Timing]], bundled: dict[str, Timing], runs: int) -> str:
    names = ["check", "budget", "status", "report", "agenda", "floor", "check-jsonschema"]
    lines = [
        "# Performance",
        "",
        "Written by `make bench` (bench/run.py); do not edit by hand. Each figure is the",
        f"median wall time of {runs} runs of a whole process (the bundled-portfolio figures",
        f"of {runs * 2}), on synthetic portfolios from bench/generate.py with the real",
        "portfolio's proportions of kinds and references. `floor` only parses the files",
        "with PyYAML's C loader and validates them with kontrakt's models; `check-jsonschema`",
        "checks them against `kontrakt schema`, one run per kind, times added up.",
        "",
        f"Machine: {machine()}.",
        "",
        "| files | " + " | ".join(names) + " | peak MiB (check) |",
        "| ---: | " + " | ".join("---:" for _ in names) + " | ---: |",
    ]
    for size, timings in results.items():
        cells = [f"{timings[name].seconds:.3f} s" for name in names]
        lines.append(f"| {size} | " + " | ".join(cells) + f" | {timings['check'].peak_mib:.0f} |")
    largest = max(results)
    big = results[largest]
    check = big["check"].seconds
    rows = [
        ("check ÷ floor", check / big["floor"].seconds, 1.2),
        ("check ÷ check-jsonschema", check / big["check-jsonschema"].seconds, 0.35),
        *(
            (f"{name} ÷ check", big[name].seconds / check, 1.5)
            for name in ("budget", "status", "report", "agenda")
        ),
    ]
    if 1000 in results and largest == 10000:
        rows.append(
            ("check at 10 000 ÷ check at 1 000", check / results[1000]["check"].seconds, 11.0)
        )
    base = bundled["import typer, pydantic"].seconds
    rows += [
        (
            "bundled: kontrakt check ÷ import typer, pydantic",
            bundled["kontrakt check"].seconds / base,
            1.6,
        ),
        (
            "bundled: kontrakt --help ÷ import typer, pydantic",
            bundled["kontrakt --help"].seconds / base,
            1.3,
        ),
    ]
    lines += [
        "",
        f"## Targets (at {largest} files unless said)",
        "",
        "| ratio | measured | target | |",
        "| --- | ---: | ---: | --- |",
    ]
    for label, value, target in rows:
        verdict = "met" if value <= target else "**not met**"
        lines.append(f"| {label} | {value:.2f} | ≤ {target} | {verdict} |")
    peak = big["check"].peak_mib
    lines.append(
        f"| peak memory of check (MiB) | {peak:.0f} | < 200 | "
        f"{'met' if peak < 200 else '**not met**'} |"
    )
    lines += ["", "## The bundled portfolio", "", "| command | median |", "| --- | ---: |"]
    lines += [f"| `{name}` | {timing.seconds:.3f} s |" for name, timing in bundled.items()]
    stack = bundled[STACK].seconds
    check_ratio = bundled["kontrakt check"].seconds / stack
    lines += [
        "",
        "`import pydantic` is lazy: it loads none of the machinery that builds and runs",
        "validators. Typer 0.2x builds a Pydantic validator for each parameter of the",
        "command it runs, so any Typer command with options loads that machinery:",
        "bench/stack.py, a command with kontrakt's kinds of options that validates one",
        f"small model, takes {stack:.3f} s, {stack / base:.2f}× `import typer, pydantic`.",
        f"`kontrakt check` on the bundled portfolio is {check_ratio:.2f}× that stack floor;",
        "the rest is kontrakt's models, the YAML parser and the check itself (see",
        "`python -X importtime -m kontrakt check portfolio`).",
    ]
    return "\n".join(lines) + "\n"


def documents_report(pairs: list[Pair], runs: int) -> str:
    lines = [
        "",
        "## Documents",
        "",
        f"Each ratio comes from one series of {runs} pairs, the two commands run",
        "alternately (A B A B …, after one pair not counted): the median of the pairs'",
        "own ratios B ÷ A, with the least and the greatest. The formats are timed on the",
        "bundled portfolio against the Markdown of the same command (target ≤ 2), the",
        "HTML report on the largest synthetic portfolio against `kontrakt check`",
        "(target ≤ 1.5). Every document is written to a file (`-o`), the Markdown and",
        "`check` to standard output.",
        "",
        "| ratio | A | B | A median | B median | min | median | max | target | |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    lines += [
        f"| {p.label} | `{p.a}` | `{p.b}` | {p.a_seconds:.3f} s | {p.b_seconds:.3f} s "
        f"| {min(p.ratios):.2f} | {p.median:.2f} | {max(p.ratios):.2f} | ≤ {p.target} "
        f"| {p.verdict} |"
        for p in pairs
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
