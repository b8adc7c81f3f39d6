"""The bundled templates compiled once, when kontrakt is set up, not on every run.

Jinja compiles a template's source to Python each time a process first asks for
it: 6 ms a template, a fifth of a small report's time and a hundred milliseconds
in each of a site's worker processes. `python -m kontrakt.render.precompiled`
(which `make` runs, as it byte-compiles kontrakt's modules) keeps each bundled
template's compiled code in `precompiled/<kind>/` beside this module, one folder
per kind of template environment (the code depends on its escaping); a run only
reads it. Jinja keys each template by its file and checks the source's digest
and the Python version, so a template changed since (or a user's own, which is
never there) is compiled as before, and nothing is written while kontrakt runs.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from jinja2 import FileSystemBytecodeCache, TemplateError
from jinja2.bccache import Bucket

FOLDER = Path(__file__).resolve().parent / "precompiled"
# Raised with each change to the code sandbox.py's compiler writes for a template.
GENERATED_BY = "kontrakt-codegen-2"


class Precompiled(FileSystemBytecodeCache):
    """The compiled templates of one kind of environment ("markdown", "html"): read
    while kontrakt runs; written only by `compile_all`, through kontrakt's atomic write."""

    def __init__(self, kind: str, *, writing: bool = False) -> None:
        super().__init__(str(FOLDER / kind), "%s.cache")
        self.writing = writing

    def get_source_checksum(self, source: str) -> str:
        """The source's digest, and the version of the code kontrakt compiles it to:
        code kept from before a change to the compiler (sandbox.py) is not used."""
        return super().get_source_checksum(f"{GENERATED_BY}\n{source}")

    def dump_bytecode(self, bucket: Bucket) -> None:
        if not self.writing:
            return  # a run never writes: the code is made when kontrakt is set up
        from kontrakt.write import write_bytes_atomic

        path = Path(self._get_cache_filename(bucket))
        write_bytes_atomic(path, bucket.bytecode_to_string(), sync=False)


def compile_all(environments: dict[str, Any]) -> dict[str, int]:
    """Compile every bundled template each environment (by kind) can compile,
    keeping the code: how many, by kind. A template another kind renders (a
    Markdown template in the HTML environment) does not compile there and is skipped."""
    from kontrakt.render.templates import templates_dir

    root = templates_dir()
    names = sorted(path.relative_to(root).as_posix() for path in root.rglob("*.j2"))
    compiled: dict[str, int] = {}
    for kind, environment in environments.items():
        (FOLDER / kind).mkdir(parents=True, exist_ok=True)
        environment.bytecode_cache = Precompiled(kind, writing=True)
        compiled[kind] = 0
        for name in names:
            try:
                environment.get_template(name)
            except TemplateError:
                continue
            compiled[kind] += 1
    return compiled


def compile_bundled() -> dict[str, int]:
    """`compile_all` for the environments kontrakt renders in."""
    from kontrakt.render.html import PageRenderer
    from kontrakt.render.templates import markdown_environment

    return compile_all({"markdown": markdown_environment(), "html": PageRenderer().environment})


def main() -> int:
    counts = compile_bundled()
    print(", ".join(f"{count} {kind} templates compiled" for kind, count in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
