"""What a loaded portfolio keeps of its files: the models, the text, and not the
parsed data of a valid file, which link reads from the model instead."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import check, write
from kontrakt.load import load_portfolio
from kontrakt.models import REFERENCES
from kontrakt.references import unknown_names
from kontrakt.validate import shared_fields_sets
from kontrakt.yamlload import parse

ROOT = Path(__file__).parent.parent
PORTFOLIOS = [
    ROOT / "portfolio",
    *sorted(path.parent for path in (ROOT / "tests" / "fixtures").rglob("kontrakt.yaml")),
]


@pytest.mark.parametrize("root", PORTFOLIOS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_a_valid_files_model_names_what_its_data_names(root: Path) -> None:
    """link reads a valid file's references from its model: the same names, at the
    same places, as from the file's data, so the messages cannot differ."""
    portfolio = load_portfolio(root).portfolio
    if portfolio is None:  # a fixture of a kontrakt.yaml kontrakt cannot use
        assert root.parent.name == "settings"
        return
    compared = 0
    for (kind, entity_id), source in portfolio.sources.items():
        model = portfolio.of_kind(kind)[entity_id]
        data = parse(source.text).data
        assert source.data == data  # let go, and given again from the text
        from_model = unknown_names(portfolio, kind, model)
        assert from_model == unknown_names(portfolio, kind, data)
        for ref in REFERENCES[kind]:
            assert [loc for loc, _value in ref.found_in(model)] == [
                loc for loc, _value in ref.found_in(data)
            ]
            compared += 1
    assert compared > 0


def test_an_unknown_name_in_a_valid_file_is_found_at_its_line(minimal: Path) -> None:
    """The position comes from the text, parsed again: the data were let go."""
    write(
        minimal,
        "initiatives/beta.yaml",
        "title: Beta\nstatus: idea\n# the owners\norganisations:\n  - mdu\n  - mduu\n",
    )
    assert check(minimal) == [
        "initiatives/beta.yaml:6:5: error: unknown organisation 'mduu'; did you mean 'mdu'? "
        "(organisations are listed under organisations in kontrakt.yaml) [unknown-reference]"
    ]


def test_models_given_the_same_keys_share_one_set_of_them() -> None:
    """Pydantic keeps a set per model of the keys its file gave; models given the
    same keys share one, and a copy that changes a field does not touch it."""
    from kontrakt.models import BudgetLine

    first, second = (
        shared_fields_sets(BudgetLine.model_validate({"title": t, "amount": 1, "period": 2024}))
        for t in ("A", "B")
    )
    other = shared_fields_sets(
        BudgetLine.model_validate({"title": "C", "amount": 1, "period": 2024, "note": "N"})
    )
    assert first.model_fields_set is second.model_fields_set
    assert first.model_fields_set == {"title", "amount", "period"}
    assert other.model_fields_set == {"title", "amount", "period", "note"}
    changed = first.model_copy(update={"spent": []})
    assert changed.model_fields_set == {"title", "amount", "period", "spent"}
    assert second.model_fields_set == {"title", "amount", "period"}


@pytest.mark.parametrize("root", ["portfolio", ".", "sub/../portfolio"])
def test_a_listed_file_knows_its_name_below_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, root: str
) -> None:
    """Each listed file carries its path below the portfolio's folder (a revision's
    name for it), the same from a folder walk as from a revision's listing, so
    reading never works it out from the path again."""
    from kontrakt.discover import discover, discover_listing

    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    folder = tmp_path / "portfolio"
    for name in ("initiatives/a.yaml", "initiatives/extra/c.yaml", "budget/b.yaml"):
        write(folder, name, "title: X\n")
    if root == ".":
        monkeypatch.chdir(folder)
    walked, _problems = discover(Path(root), [])
    listed, _problems = discover_listing(
        Path(root), ["initiatives/a.yaml", "initiatives/extra/c.yaml", "budget/b.yaml"], []
    )
    for refs in (walked, listed):
        assert sorted(ref.relative for ref in refs) == [
            "budget/b.yaml",
            "initiatives/a.yaml",
            "initiatives/extra/c.yaml",
        ]
        for ref in refs:
            assert ref.relative == ref.path.relative_to(Path(root)).as_posix()


def test_left_out_lists_are_one_shared_empty_list_that_stays_empty() -> None:
    """Every list key a file leaves out is the same empty list (not a new one per
    file): it reads, compares, dumps, copies and pickles as `[]`, and refuses to
    be added to, as what one entity shares with all must stay empty."""
    import copy
    import pickle

    from kontrakt.models import Initiative
    from kontrakt.schema import schema_for

    first, second = (Initiative.model_validate({"title": t, "status": "idea"}) for t in "AB")
    assert first.notes is second.notes is second.milestones
    assert first.notes == [] and not first.notes and len(first.notes) == 0
    assert first.model_dump(mode="json")["notes"] == []
    assert first.model_dump_json().count('"notes":[]') == 1
    for again in (copy.copy(first), copy.deepcopy(first), pickle.loads(pickle.dumps(first))):
        assert again.notes is first.notes
    assert first.notes + ["ny"] == ["ny"] and first.notes == []  # noqa: RUF005
    for change in (
        lambda: first.notes.append("ny"),
        lambda: first.notes.extend(["ny"]),
        lambda: first.notes.insert(0, "ny"),
    ):
        with pytest.raises(TypeError):
            change()
    with pytest.raises(TypeError):
        first.notes += ["ny"]  # type: ignore[misc]  # the model is frozen too
    assert first.notes == [] and second.notes == []
    written = Initiative.model_validate({"title": "C", "status": "idea", "notes": []})
    assert written.notes == [] and written.notes is not first.notes  # written, its own
    assert schema_for("initiative")["properties"]["notes"]["default"] == []


def test_each_files_listing_is_let_go_as_it_is_read(
    minimal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Loading holds the listing of the files not yet read, not of all of them."""
    import gc

    import kontrakt.load
    from kontrakt.discover import FileRef

    for number in range(5):
        write(minimal, f"news/n{number}.yaml", f"title: N{number}\ndate: 2024-01-0{number + 1}\n")
    alive: list[int] = []
    real = kontrakt.load._from_disk

    def counted(path: str, relative: str, max_file_size: int) -> tuple[bytes | None, list[Any]]:
        alive.append(sum(isinstance(thing, FileRef) for thing in gc.get_objects()))
        return real(path, relative, max_file_size)

    monkeypatch.setattr(kontrakt.load, "_from_disk", counted)
    assert load_portfolio(minimal).diagnostics == []
    assert alive == [0, 6, 5, 4, 3, 2, 1]  # kontrakt.yaml; then each file and those after it
