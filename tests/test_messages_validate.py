"""The messages of validation (models, amounts, ids, Pydantic's own errors) in
Swedish, and the portfolio's language: any language kontrakt has a catalog for."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import pytest
from pydantic import AnyUrl, BaseModel, Field, ValidationError

from conftest import MINIMAL_SETTINGS, check, write
from kontrakt import i18n
from kontrakt.ids import file_id_problem, id_problem, portable_name_problem
from kontrakt.models import Settings
from kontrakt.models.common import Status, describe
from kontrakt.models.settings import default_status_labels
from kontrakt.money import MoneyError, parse_money
from kontrakt.schema import schema_for
from kontrakt.validate import explain


def portfolio(root: Path, files: dict[str, str], settings: str = MINIMAL_SETTINGS) -> Path:
    write(root, "kontrakt.yaml", settings)
    for relative, text in files.items():
        write(root, relative, text)
    return root


@pytest.mark.usefixtures("messages_in_portfolio_language")
def test_a_swedish_portfolio_is_told_in_swedish(tmp_path: Path) -> None:
    root = portfolio(
        tmp_path,
        {
            "initiatives/alfa.yaml": "titel: Alfa\nstatus: ongoin\nstart: 27/2\n",
            "initiatives/beta.yaml": "title: Beta\nstatus: Pågående\n",
            "budget/b.yaml": (
                "title: B\namount: 1,3 mnkr\nperiod: 2024\ndecision: yes\ndecided: ja\n"
            ),
            "events/e.yaml": "- title: E\n",
            "meetings/m.yaml": "date: 2024-02-27\nkind: core-team\nstart: 8:30\n",
        },
    )
    assert check(root) == [
        "budget/b.yaml:2:9: error: '1,3 mnkr' har decimaler; skriv hela kronor som ett "
        "heltal, t.ex. 1300000 i stället för 1,3 mnkr [invalid-value]",
        "budget/b.yaml:4:11: error: 'yes' är inte tillåtet här; skriv en av 'proposed' eller "
        "'decided' [invalid-value]",
        "budget/b.yaml:5:1: error: okänd nyckel 'decided'; för att ange decided, skriv "
        "decision: decided [unknown-key]",
        "events/e.yaml:1:1: error: förväntade en mappning med nycklar för en händelse "
        "(t.ex. `title: ...`), fann en lista [not-a-mapping]",
        "initiatives/alfa.yaml:1:1: error: obligatorisk nyckel saknas: 'title' [missing-key]",
        "initiatives/alfa.yaml:1:1: error: okänd nyckel 'titel'; menade du 'title'? [unknown-key]",
        "initiatives/alfa.yaml:2:9: error: 'ongoin' är inte tillåtet här; menade du 'ongoing'? "
        "(en av 'idea', 'upcoming', 'ongoing', 'completed', 'paused' eller 'stopped') "
        "[invalid-value]",
        "initiatives/alfa.yaml:3:8: error: förväntade ett datum som ÅÅÅÅ-MM-DD "
        "(t.ex. 2024-02-27), fann '27/2' [invalid-value]",
        "initiatives/beta.yaml:2:9: error: 'Pågående' är etiketten för 'ongoing'; skriv "
        "ongoing [invalid-value]",
        "meetings/m.yaml:3:8: error: förväntade ett klockslag som TT:MM (t.ex. 08:30), "
        "fann '8:30' (skriv 08:30) [invalid-value]",
    ]


@pytest.mark.usefixtures("messages_in_portfolio_language")
def test_pydantic_own_errors_are_told_in_swedish(tmp_path: Path) -> None:
    root = portfolio(
        tmp_path,
        {
            "initiatives/alfa.yaml": "title: Alfa\norder: 1.5\nmilestones: ett\n",
            "events/e.yaml": (
                "title: E\nkind: oppen-verkstad\nseries:\n  name: Forum\n  number: 0\n"
            ),
            "questions/q.yaml": "title: Q\nraised: 2024-02-30\npoints: [12]\n",
        },
    )
    assert check(root) == [
        "events/e.yaml:5:11: error: förväntade ett tal större än 0, fann talet 0 [invalid-value]",
        "initiatives/alfa.yaml:2:8: error: förväntade ett heltal, fann talet 1.5 [invalid-value]",
        "initiatives/alfa.yaml:3:13: error: förväntade en lista (rader som börjar med '- '), "
        "fann 'ett' [invalid-value]",
        "questions/q.yaml:2:9: error: 2024-02-30 är inte ett datum som finns i kalendern "
        "[invalid-value]",
        "questions/q.yaml:3:10: error: förväntade text, fann talet 12; sätt citattecken runt "
        "värdet så att det blir text [invalid-value]",
    ]


class _Builtins(BaseModel):
    """Pydantic's own types, which no model of kontrakt uses yet."""

    day: date
    short: Annotated[str, Field(max_length=3)]
    many: Annotated[list[int], Field(min_length=2)]
    link: AnyUrl
    share: Annotated[int, Field(le=100)]


_BUILTIN_DATA = {"day": "27/2", "short": "abcd", "many": [1], "link": "nope", "share": 101}


def _explained(language: str) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        _Builtins.model_validate(_BUILTIN_DATA)
    with i18n.speaking(language):
        return {
            str(error["loc"][0]): explain(_Builtins, error, _BUILTIN_DATA, {}, ()).message
            for error in caught.value.errors(include_url=False)
        }


def test_pydantic_builtin_types_never_speak_pydantic_english() -> None:
    assert _explained("sv") == {
        "day": "förväntade ett datum som ÅÅÅÅ-MM-DD (t.ex. 2024-02-27), fann '27/2'",
        "short": "texten är längre än 3 tecken; korta den",
        "many": "förväntade minst 2 poster, fann 1",
        "link": "förväntade en webbadress som https://example.se/forum, fann 'nope'",
        "share": "förväntade ett tal mindre än eller lika med 100, fann talet 101",
    }
    assert _explained("en") == {
        "day": "expected a date as YYYY-MM-DD (e.g. 2024-02-27), found '27/2'",
        "short": "the text is longer than 3 characters; shorten it",
        "many": "expected at least 2 items, found 1",
        "link": "expected a web address such as https://example.se/forum, found 'nope'",
        "share": "expected a number less than or equal to 100, found the number 101",
    }


def test_amounts_ids_and_found_values_in_swedish() -> None:
    with i18n.speaking("sv"):
        assert describe(None) == "ingenting"
        assert describe(True) == "'true' (ett sanningsvärde, true/false)"
        assert describe({"a": 1}) == "en mappning (rader med nyckel: värde)"
        with pytest.raises(MoneyError) as caught:
            parse_money("-100 kr")
        assert (
            str(caught.value) == "beloppet '-100 kr' är negativt; belopp är kronor från 0 och uppåt"
        )
        assert id_problem("Måltider") == (
            "'Måltider' är inte ett giltigt id: skriv med gemener a-z, siffror och enkla "
            "bindestreck (å, ä, ö blir a, a, o); använd 'maltider'"
        )
        assert file_id_problem("aux") == (
            "'aux' är ett namn som Windows reserverar för en enhet, så filen skulle inte gå "
            "att checka ut där; använd 'aux-1' eller ett annat id"
        )
        assert portable_name_problem("utkast.") == (
            "'utkast.' slutar med en punkt, som Windows tar bort; byt namn"
        )


def test_an_unknown_language_is_an_error_at_its_line(tmp_path: Path) -> None:
    settings = MINIMAL_SETTINGS.replace("language: sv\n", "language: xx\n")
    root = portfolio(tmp_path, {}, settings)
    languages = ", ".join(i18n.languages())
    assert languages == "en, sv"
    assert check(root) == [
        f"kontrakt.yaml:3:11: error: unknown language 'xx'; write one of {languages} "
        "[invalid-value]"
    ]


@pytest.mark.usefixtures("messages_in_portfolio_language")
def test_an_unknown_language_in_swedish(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANGUAGE", "sv")  # the portfolio's language is no help here
    settings = MINIMAL_SETTINGS.replace("language: sv\n", "language: 12\n")
    root = portfolio(tmp_path, {}, settings)
    assert check(root) == [
        "kontrakt.yaml:3:11: error: okänt språk talet 12; skriv ett av en, sv [invalid-value]"
    ]


def test_every_language_with_a_catalog_is_a_portfolio_language() -> None:
    schema = schema_for("settings")["properties"]["language"]
    assert schema["enum"] == list(i18n.languages())
    assert schema["default"] == "sv"
    locales = {
        language: Settings.model_validate(
            {"name": "N", "mission": "M", "language": language}
        ).resolved_locale()
        for language in i18n.languages()
    }
    assert locales == {"en": "en_GB", "sv": "sv_SE"}


def test_default_status_labels_are_in_the_portfolio_language() -> None:
    def labels(language: str) -> list[str]:
        settings = Settings.model_validate({"name": "N", "mission": "M", "language": language})
        with i18n.speaking("en" if language == "sv" else "sv"):  # not the reader's language
            return list(settings.status_labels().values())

    assert labels("sv") == [
        "Pågående",
        "På gång",
        "Idéer framåt",
        "Pausade",
        "Avslutade",
        "Avbrutna",
    ]
    assert labels("en") == ["Ongoing", "Upcoming", "Ideas", "Paused", "Completed", "Stopped"]
    own = Settings.model_validate(
        {"name": "N", "mission": "M", "vocabularies": {"statuses": {"idea": "Tankar"}}}
    )
    assert list(own.status_labels().items())[:2] == [
        (Status.IDEA, "Tankar"),
        (Status.ONGOING, "Pågående"),
    ]


@pytest.mark.usefixtures("messages_in_portfolio_language")
def test_a_swedish_status_label_gets_its_hint_in_an_english_portfolio(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[str] = []

    def counted(language: str) -> dict[Status, str]:
        made.append(language)
        return default_status_labels(language)

    monkeypatch.setattr("kontrakt.load.default_status_labels", counted)
    settings = MINIMAL_SETTINGS.replace("language: sv\n", "language: en\n")
    root = portfolio(
        tmp_path, {"initiatives/alfa.yaml": "title: Alfa\nstatus: ongoing\n"}, settings
    )
    assert check(root) == []
    assert made == []  # a portfolio without a wrong status needs no other language's labels

    write(root, "initiatives/beta.yaml", "title: Beta\nstatus: Pågående\n")
    write(root, "initiatives/gamma.yaml", "title: Gamma\nstatus: Avbrutna\n")
    assert check(root) == [
        "initiatives/beta.yaml:2:9: error: 'Pågående' is the label of 'ongoing'; write "
        "ongoing [invalid-value]",
        "initiatives/gamma.yaml:2:9: error: 'Avbrutna' is the label of 'stopped'; write "
        "stopped [invalid-value]",
    ]
    assert sorted(set(made)) == list(i18n.languages())
    assert len(made) == len(i18n.languages())  # made once per load, not per file
