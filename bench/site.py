"""`kontrakt site` against `kontrakt check` of the same portfolio, for `make bench`.

`measure_site(root, work, runs)` times, as whole processes (medians of `runs`):
`kontrakt check ROOT`, and `kontrakt site` of ROOT into a fresh folder each
run; it notes the site's peak memory, then changes one initiative's file and
builds again into the last folder, and reads how many files that rebuild wrote
(the CLI's own count). `bundled_site(work, runs)` times the site of the bundled
portfolio. bench/run.py can call both and add their rows to
docs/performance.md; run alone it prints them:

    python bench/site.py [--size 10000] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import re
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
ENV = {**os.environ, "PYDANTIC_DISABLE_PLUGINS": "__all__", "KONTRAKT_LANG": "en"}
AS_OF = "2024-06-01"


@dataclass(frozen=True)
class SiteBench:
    files: int
    check: float  # median seconds
    site: float
    site_mib: float  # peak resident memory of the site's process
    rebuilt: int  # files the rebuild after one changed file wrote
    pages: int  # files in the site

    @property
    def ratio(self) -> float:
        return self.site / self.check


def _once(command: list[str]) -> tuple[float, float, str]:
    start = time.perf_counter()
    process = subprocess.Popen(
        command, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    out, _ = process.communicate()
    _pid, _status, usage = os.wait4(process.pid, 0) if process.returncode is None else (0, 0, None)
    elapsed = time.perf_counter() - start
    if process.returncode not in (0, None):
        raise SystemExit(f"bench: {' '.join(command)} exited with {process.returncode}")
    peak = usage.ru_maxrss / 1024 if usage is not None else _peak_of_children()
    return elapsed, peak, out


def _peak_of_children() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _kontrakt(*args: str) -> list[str]:
    return [str(BIN / "kontrakt"), *args]


def measure_site(root: Path, work: Path, runs: int = 5) -> SiteBench:
    checks = [_once(_kontrakt("check", str(root)))[0] for _ in range(runs)]
    times, peaks = [], []
    folder = work / "site"
    for _ in range(runs):
        shutil.rmtree(folder, ignore_errors=True)
        seconds, _peak, _out = _once(
            _kontrakt("site", "-p", str(root), "--as-of", AS_OF, "-o", str(folder))
        )
        times.append(seconds)
    # Memory of one more build, measured alone (RUSAGE_CHILDREN keeps the largest).
    shutil.rmtree(folder, ignore_errors=True)
    probe = subprocess.run(
        [
            "/usr/bin/time",
            "-f",
            "%M",
            *_kontrakt("site", "-p", str(root), "--as-of", AS_OF),
            "-o",
            str(folder),
        ],
        env=ENV,
        capture_output=True,
        text=True,
        check=True,
    )
    peaks.append(int(probe.stderr.strip().splitlines()[-1]) / 1024)
    pages = sum(1 for path in folder.rglob("*") if path.is_file()) - 1  # not the manifest
    changed = sorted((root / "initiatives").glob("*.yaml"))[0]
    original = changed.read_text(encoding="utf-8")
    try:
        changed.write_text(original.replace("title: ", "title: Ändrad ", 1), encoding="utf-8")
        _s, _p, out = _once(_kontrakt("site", "-p", str(root), "--as-of", AS_OF, "-o", str(folder)))
    finally:
        changed.write_text(original, encoding="utf-8")
    written = re.search(r"(\d+) files? written", out)
    return SiteBench(
        files=sum(1 for _ in root.rglob("*.yaml")),
        check=statistics.median(checks),
        site=statistics.median(times),
        site_mib=max(peaks),
        rebuilt=int(written.group(1)) if written else -1,
        pages=pages,
    )


def bundled_site(work: Path, runs: int = 10) -> float:
    """The median time of the bundled portfolio's site (target: under a second)."""
    times = []
    for _ in range(runs):
        folder = work / "bundled-site"
        shutil.rmtree(folder, ignore_errors=True)
        times.append(_once(_kontrakt("site", "-p", str(REPO / "portfolio"), "-o", str(folder)))[0])
    return statistics.median(times)


def rows(result: SiteBench, bundled: float) -> str:
    """Markdown rows for docs/performance.md's table of targets."""
    return "\n".join(
        [
            f"| site ÷ check at {result.files} | {result.ratio:.2f} | ≤ 3.0 | "
            f"{'met' if result.ratio <= 3.0 else '**not met**'} |",
            f"| peak memory of site at {result.files} (MiB) | {result.site_mib:.0f} | < 300 | "
            f"{'met' if result.site_mib < 300 else '**not met**'} |",
            f"| site rebuild after one changed file: files written (of {result.pages}) | "
            f"{result.rebuilt} | only what changed | |",
            f"| bundled: kontrakt site (s) | {bundled:.3f} | < 1.0 | "
            f"{'met' if bundled < 1.0 else '**not met**'} |",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        root = work / f"portfolio-{options.size}"
        generate(options.size, root)
        result = measure_site(root, work, options.runs)
        bundled = bundled_site(work, options.runs)
    print(result)
    print(rows(result, bundled))


if __name__ == "__main__":
    main()
