"""The floor for `kontrakt check`: only parse every file with the fastest C loader
(PyYAML's CSafeLoader, libyaml) and validate it with kontrakt's models.

No positions, no YAML 1.2 rules, no hostile-input guards, no cross-file rules,
no report: what any checker of these files has to do at the least.

    python bench/floor.py PORTFOLIO
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml
from pydantic import ValidationError

from kontrakt.models import KINDS_BY_FOLDER, Settings


def main(root: Path) -> int:
    problems = 0
    settings = yaml.load((root / "kontrakt.yaml").read_bytes(), Loader=yaml.CSafeLoader)
    Settings.model_validate(settings)
    for folder, kind in KINDS_BY_FOLDER.items():
        for path in sorted((root / folder).rglob("*.yaml")):
            data = yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
            try:
                kind.model.model_validate(data)
            except ValidationError:
                problems += 1
    print(f"{problems} files with problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
