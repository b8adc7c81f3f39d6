"""The floor for `kontrakt check`: read every file, parse it, validate it with
kontrakt's models, and nothing else.

The parser is kontrakt's own (yamlload.parse without positions: libyaml's C
events, built into values directly), the fastest honest parser of these files
here; PyYAML's C loader is slower (`--pyyaml` to see). No positions, no
hostile-input guards beyond the parser's, no cross-file rules, no report: what
any checker of these files has to do at the least. The collector of cycles is
off while it works, as in kontrakt's loading.

    python bench/floor.py PORTFOLIO [--pyyaml]
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from kontrakt.models import KINDS_BY_FOLDER, Settings


def _parser(pyyaml: bool) -> Callable[[bytes], Any]:
    if pyyaml:
        import yaml

        return lambda raw: yaml.load(raw, Loader=yaml.CSafeLoader)
    from kontrakt.yamlload import parse

    return lambda raw: parse(raw.decode("utf-8")).data


def main(root: Path, pyyaml: bool = False) -> int:
    gc.disable()  # as kontrakt's loading does: it makes many objects and frees none
    load = _parser(pyyaml)
    problems = 0
    Settings.model_validate(load((root / "kontrakt.yaml").read_bytes()))
    for folder, kind in KINDS_BY_FOLDER.items():
        for path in sorted((root / folder).glob("*.yaml")):
            try:
                kind.model.model_validate(load(path.read_bytes()))
            except ValidationError:
                problems += 1
    print(f"{problems} files with problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), "--pyyaml" in sys.argv[2:]))
