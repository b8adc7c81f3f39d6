"""kontrakt's messages in Swedish: reading, parsing and the cross-file rules.

The portfolio of `minimal` says `language: sv`, and with no language asked for
(`messages_in_portfolio_language`) its messages come in Swedish, each at its line.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import MINIMAL_SETTINGS, check, write
from kontrakt import i18n
from kontrakt.discover import PortfolioNotFound, find_root
from kontrakt.load import load_portfolio
from kontrakt.revisions import entry_problem

pytestmark = pytest.mark.usefixtures("messages_in_portfolio_language")


def test_an_unknown_reference_and_vocabulary_value_with_did_you_mean(minimal: Path) -> None:
    write(minimal, "questions/q.yaml", "title: Q\nraised: 2024-02-27\ninitiatives: [alfx]\n")
    write(
        minimal,
        "budget/a.yaml",
        "title: A\namount: 100\nperiod: 2024\ncategory: pilotbudget\npurpose: konslut\n",
    )
    write(minimal, "events/e.yaml", "title: E\nkind: fest\n")
    assert check(minimal) == [
        "budget/a.yaml:4:11: error: 'pilotbudget' är etiketten för budgetkategorin 'pilot'; "
        "skriv pilot [unknown-vocabulary]",
        "budget/a.yaml:5:10: error: okänt syfte 'konslut'; menade du 'konsult'? (kända: "
        "konsult; lägg till nya under vocabularies.purposes i kontrakt.yaml) "
        "[unknown-vocabulary]",
        "events/e.yaml:2:7: error: okänd händelsetyp 'fest' (kända: oppen-verkstad; lägg "
        "till nya under vocabularies.event_kinds i kontrakt.yaml) [unknown-vocabulary]",
        "questions/q.yaml:3:15: error: okänt initiativ 'alfx'; menade du 'alfa'? (det finns "
        "ingen fil initiatives/alfx.yaml) [unknown-reference]",
    ]


def test_two_values_of_one_vocabulary_with_one_label(minimal: Path) -> None:
    """Said at the second label the file gives; a fixed vocabulary's default labels
    count (the portfolio labels green as yellow's 'Gul'); case and spaces do not."""
    settings = MINIMAL_SETTINGS.replace(
        "  mdu: Mälardalens universitet\n",
        "  mdu: Mälardalens universitet\n  mdu2: mälardalens  Universitet\n",
    ).replace(
        "  kinds:\n    pilot: Pilot\n",
        "  kinds:\n    pilot: Pilot\n    test: Testbädd\n    testbed: Testbädd\n"
        "  alerts:\n    green: Gul\n  gates:\n    stop: Avsluta\n    adapt: Fortsätt\n",
    )
    write(minimal, "kontrakt.yaml", settings)
    assert check(minimal) == [
        "kontrakt.yaml:6:9: error: 'mälardalens  Universitet' är redan etiketten för 'mdu' "
        "på rad 5; ge varje värde en egen etikett [label-repeated]",
        "kontrakt.yaml:11:14: error: 'Testbädd' är redan etiketten för 'test' på rad 10; "
        "ge varje värde en egen etikett [label-repeated]",
        "kontrakt.yaml:13:12: error: 'Gul' är den etikett 'yellow' har som standard; ge "
        "'green' en annan etikett, eller ge 'yellow' en egen [label-repeated]",
        "kontrakt.yaml:16:12: error: 'Fortsätt' är den etikett 'continue' har som standard; "
        "ge 'adapt' en annan etikett, eller ge 'continue' en egen [label-repeated]",
    ]
    # Labelling the other value too settles it.
    write(
        minimal,
        "kontrakt.yaml",
        settings.replace("    green: Gul\n", "    green: Gul\n    yellow: Orange\n")
        .replace("    adapt: Fortsätt\n", "    adapt: Fortsätt\n    continue: Vidare\n")
        .replace("  mdu2: mälardalens  Universitet\n", "")
        .replace("    testbed: Testbädd\n", "    testbed: Testmiljö\n"),
    )
    assert check(minimal) == []


def test_a_duplicate_id_and_an_id_that_is_not_the_file_name(minimal: Path) -> None:
    write(minimal, "initiatives/arkiv/alfa.yaml", "title: Alfa igen\n")
    write(minimal, "initiatives/beta.yaml", "id: gamma\ntitle: Beta\n")
    assert check(minimal) == [
        "initiatives/arkiv/alfa.yaml:1:1: error: id 'alfa' används redan av "
        "initiatives/alfa.yaml; byt namn på en av filerna [duplicate-id]",
        "initiatives/beta.yaml:1:5: error: id 'gamma' stämmer inte med filnamnet 'beta.yaml'; "
        "skriv id: beta, eller ta bort raden med id (filnamnet är id:t) [id-mismatch]",
    ]


def test_yaml_syntax_errors_and_a_duplicate_key(minimal: Path) -> None:
    write(minimal, "initiatives/beta.yaml", "title: Beta\ndescription: Mål: bättre\n")
    write(minimal, "initiatives/gamma.yaml", "title: Gamma\nstatus: idea\ntitle: G\n")
    write(minimal, "events/e.yaml", "title: E\nkind: oppen-verkstad\nplace: 'Aula\n")
    assert check(minimal) == [
        "events/e.yaml:3:8: error: YAML-syntaxfel: filen tar slut för tidigt (i en text inom "
        "citattecken, som började på rad 3); stäng citattecknet eller parentesen som öppnades "
        "[yaml-syntax]",
        "initiatives/beta.yaml:2:17: error: YAML-syntaxfel: kolon följt av mellanslag är inte "
        "tillåtet här; värdet på rad 2 innehåller ': ' och behöver därför citattecken: skriv "
        "description: 'Mål: bättre' [yaml-syntax]",
        "initiatives/gamma.yaml:3:1: error: nyckeln 'title' finns två gånger (först på rad 1); "
        "behåll en av dem [duplicate-key]",
    ]


def test_a_file_that_is_not_utf8_and_forbidden_characters(minimal: Path) -> None:
    (minimal / "initiatives" / "beta.yaml").write_bytes(b"title: Beta\nplace: Caf\xe9\n")
    hidden = "\u200b" * 22
    write(minimal, "initiatives/gamma.yaml", f"title: Gamma{hidden}\n")
    found = check(minimal)
    assert found[0] == (
        "initiatives/beta.yaml:2:11: error: ogiltig UTF-8-byte 0xe9; spara filen som UTF-8 "
        "(kontrakt läser ingen annan teckenkodning) [encoding]"
    )
    assert found[1] == (
        "initiatives/gamma.yaml:1:13: error: förbjudet tecken U+200B ZERO WIDTH SPACE: det är "
        "osynligt; ta bort det [character]"
    )
    assert found[-1] == (
        "initiatives/gamma.yaml:1:33: error: och 2 förbjudna tecken till [character]"
    )
    assert len(found) == 1 + 20 + 1


def test_dates_out_of_order(minimal: Path) -> None:
    write(
        minimal,
        "initiatives/beta.yaml",
        "title: Beta\nstart: 2024-05-01\nend: 2024-01-01\nstatus: ongoing\nhistory:\n"
        "  - {date: 2024-03-01, status: upcoming}\n"
        "  - {date: 2024-02-01, status: ongoing}\n",
    )
    write(
        minimal,
        "events/e.yaml",
        "title: E\nkind: oppen-verkstad\ndate: 2024-03-15\nend_date: 2024-03-14\n",
    )
    write(minimal, "events/f.yaml", "title: F\nkind: oppen-verkstad\nend_date: 2024-03-14\n")
    write(
        minimal,
        "questions/q.yaml",
        "title: Q\nraised: 2024-02-27\nanswer: Ja\nanswered: 2024-02-01\n",
    )
    assert check(minimal) == [
        "events/e.yaml:4:11: error: end_date 2024-03-14 är före date 2024-03-15 [date-order]",
        "events/f.yaml:3:11: error: end_date behöver ett datum: lägg till date: ÅÅÅÅ-MM-DD "
        "[date-order]",
        "initiatives/beta.yaml:3:6: error: end 2024-01-01 är före start 2024-05-01 [date-order]",
        "initiatives/beta.yaml:7:12: error: statushistoriken måste vara i datumordning: "
        "2024-02-01 kommer efter 2024-03-01; sortera posterna med den äldsta först, en per "
        "datum [date-order]",
        "questions/q.yaml:4:11: error: answered 2024-02-01 är före raised 2024-02-27 [date-order]",
    ]


def test_files_in_unknown_places(minimal: Path) -> None:
    write(minimal, "initiativ/beta.yaml", "title: B\n")
    write(minimal, "initiatives/gamma.yml", "title: G\n")
    assert check(minimal) == [
        "initiativ/beta.yaml:1:1: error: okänd mapp initiativ/: menade du initiatives/? "
        "portföljens filer ligger i initiatives/, budget/, events/, meetings/, news/, "
        "questions/, actions/, indicators/ (eller lista mappen under `ignore:` i kontrakt.yaml) "
        "[unknown-folder]",
        "initiatives/gamma.yml:1:1: error: byt namn på gamma.yml till gamma.yaml [file-name]",
    ]


def test_a_portfolio_in_english_speaks_english(minimal: Path) -> None:
    """No language asked for: the portfolio's `language: en` decides."""
    write(minimal, "kontrakt.yaml", MINIMAL_SETTINGS.replace("language: sv", "language: en"))
    write(minimal, "questions/q.yaml", "title: Q\nraised: 2024-02-27\ninitiatives: [alfx]\n")
    result = load_portfolio(minimal)
    assert result.language == "en"
    assert check(minimal) == [
        "questions/q.yaml:3:15: error: unknown initiative 'alfx'; did you mean 'alfa'? "
        "(there is no initiatives/alfx.yaml) [unknown-reference]",
    ]


def test_the_language_asked_for_beats_the_portfolios(minimal: Path) -> None:
    """`--lang en` / KONTRAKT_LANG=en: English messages from a Swedish portfolio."""
    write(minimal, "initiatives/beta.yaml", "title: Beta\nstart: 2024-05-01\nend: 2024-01-01\n")
    i18n.ask_for("en")
    assert check(minimal) == [
        "initiatives/beta.yaml:3:6: error: end 2024-01-01 is before start 2024-05-01 [date-order]",
    ]
    i18n.ask_for(None)
    assert check(minimal) == [
        "initiatives/beta.yaml:3:6: error: end 2024-01-01 är före start 2024-05-01 [date-order]",
    ]


def test_messages_outside_a_portfolio_in_swedish(tmp_path: Path) -> None:
    with i18n.speaking("sv"):
        with pytest.raises(PortfolioNotFound) as raised:
            find_root(tmp_path / "saknas", tmp_path)
        assert str(raised.value) == f"{tmp_path / 'saknas'}: filen eller mappen finns inte"
        assert entry_problem(b"a/b") == "ett namn som innehåller '/'"
        assert entry_problem(b".git") == "gits egen mapp kan inte ingå i en portfölj"
