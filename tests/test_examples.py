"""The command output README.md and docs/*.md show is what the commands print.

Each listing under a `<!-- kontrakt: COMMAND -->` marker is run again
(scripts/examples.py) and compared, character for character. When the output
changes on purpose, `make examples` writes it into the documents; review the diff.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import REPO

sys.path.insert(0, str(REPO / "scripts"))
import examples

EXAMPLES = examples.all_examples()


def test_the_documents_have_their_examples() -> None:
    where = {example.document.relative_to(REPO).as_posix() for example in EXAMPLES}
    assert {"README.md", "docs/format.md", "docs/agenda.md"} <= where
    commands = [example.command for example in EXAMPLES]
    assert "kontrakt status --as-of 2024-02-27" in commands
    assert "kontrakt check portfolio" in commands


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda example: example.where)
def test_listing_is_its_commands_output(example: examples.Example) -> None:
    output = examples.run(example)
    if output != example.shown:
        pytest.fail(
            f"`{example.command}` prints something else than {example.where} shows; "
            f"`make examples` writes its output there:\n{examples.difference(example, output)}",
            pytrace=False,
        )


def test_no_listing_depends_on_the_day_it_is_made() -> None:
    for example in EXAMPLES:
        words = example.command.split()
        if {"status", "budget", "report"} & set(words):
            assert "--as-of" in words, example.where
        assert "--next" not in words, example.where


# --- the script itself, on documents of its own -----------------------------------

DOCUMENT = """\
# A document

<!-- kontrakt: kontrakt --version -->
```
an old version
```

A file, then a command that reads it:

<!-- kontrakt-file: portfolio/initiatives/ny.yaml -->
```yaml
title: Ny
status: Pågående
```

<!-- kontrakt: kontrakt --lang en check portfolio -->
```
```

The end.
"""


def test_a_document_is_rewritten_with_each_commands_output(tmp_path: Path) -> None:
    document = tmp_path / "README.md"
    document.write_text(DOCUMENT, encoding="utf-8")  # its commands run in the repository
    found = examples.examples_in(document)
    assert [(e.line, e.command) for e in found] == [
        (3, "kontrakt --version"),
        (16, "kontrakt --lang en check portfolio"),
    ]
    assert found[1].files == {"portfolio/initiatives/ny.yaml": "title: Ny\nstatus: Pågående\n"}
    assert examples.update(document)
    text = document.read_text(encoding="utf-8")
    version = examples.run(found[0])
    assert version.startswith("kontrakt ")
    assert text.startswith(
        f"# A document\n\n<!-- kontrakt: kontrakt --version -->\n```\n{version}```\n"
    )
    # The file was there for the command, in a copy of portfolio/; not in the repository.
    assert (
        "portfolio/initiatives/ny.yaml:2:9: error: 'Pågående' is the label of 'ongoing'; "
        "write ongoing [invalid-value]\n"
    ) in text
    assert not (REPO / "portfolio/initiatives/ny.yaml").exists()
    assert text.endswith("```\n\nThe end.\n")
    assert not examples.update(document)  # a second run changes nothing


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("<!-- kontrakt: kontrakt check -->\n\n```\n```\n", "directly above a ``` block"),
        ("<!-- kontrakt-file: portfolio/x.yaml -->\n```\n```\n", "no command after it"),
        ("<!-- kontrakt-file: ../x.yaml -->\n```\n```\n", "write the file as"),
    ],
)
def test_a_marker_out_of_place_is_a_problem(tmp_path: Path, text: str, problem: str) -> None:
    document = tmp_path / "doc.md"
    document.write_text(text, encoding="utf-8")
    with pytest.raises(examples.ExampleProblem, match=problem):
        examples.examples_in(document)


def test_only_kontrakt_runs(tmp_path: Path) -> None:
    document = tmp_path / "doc.md"
    document.write_text("<!-- kontrakt: rm -rf / -->\n```\n```\n", encoding="utf-8")
    (example,) = examples.examples_in(document)
    with pytest.raises(examples.ExampleProblem, match="the command must be kontrakt"):
        examples.run(example)
