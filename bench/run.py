"""`make bench`: kontrakt's speed against the floor, as whole processes, medians.

For synthetic portfolios of 100, 1 000 and 10 000 files (bench/generate.py) it
times `kontrakt check`, `budget`, `status`, `report` and `agenda`, beside:
(a) bench/floor.py, which only parses the same files with PyYAML's C loader and
validates them with kontrakt's models, and (b) check-jsonschema with the schemas
from `kontrakt schema`, one run per kind. On the bundled portfolio it times
`kontrakt check` and `kontrakt --help` against `python -c "import typer, pydantic"`
and against bench/stack.py, the least a Typer command validating with Pydantic costs.
It writes the table, the ratios and the targets to docs/performance.md.

Every process runs with PYDANTIC_DISABLE_PLUGINS=__all__, as kontrakt sets by
default, so the references are not slowed by a scan of installed packages; and
kontrakt's modules are compiled to bytecode first, as installing a wheel does.

    python bench/run.py [--runs N] [--sizes 100,1000,10000] [--output docs/performance.md]
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
    options = parser.parse_args()
    sizes = [int(size) for size in options.sizes.split(",")]
    compile_kontrakt()
    work = Path(tempfile.mkdtemp(prefix="kontrakt-bench-"))
    results: dict[int, dict[str, Timing]] = {}
    try:
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
    finally:
        shutil.rmtree(work, ignore_errors=True)
    options.output.write_text(report(results, bundled, options.runs), encoding="utf-8")
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


if __name__ == "__main__":
    main()
