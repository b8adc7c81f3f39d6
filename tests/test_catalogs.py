"""The catalogs hold every message kontrakt has, translated, and nothing else.

Fails when a message in the code or the shipped templates lacks a translation
in a language, when a catalog keeps a message no longer used, when a
translation drops or renames a placeholder, and when a compiled `.mo` is not
what its `.po` compiles to: run `make catalogs`, translate, and commit.
"""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo

from kontrakt import i18n

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"
sys.path.insert(0, str(SCRIPTS))
import catalogs  # noqa: E402

LANGUAGES = catalogs.catalog_languages()
_PLACES = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}|%\([A-Za-z_][A-Za-z0-9_]*\)[sd]")


@pytest.fixture(scope="module")
def extracted() -> Catalog:
    return catalogs.extract()


def _key(message: Message) -> tuple[str, str | None]:
    msgid = message.id[0] if isinstance(message.id, tuple | list) else message.id
    return str(msgid), message.context


def _strings(message: Message) -> list[str]:
    value = message.string
    return list(value) if isinstance(value, tuple | list) else [value or ""]


def test_kontrakt_speaks_english_and_swedish() -> None:
    assert LANGUAGES == ["en", "sv"]
    assert i18n.languages() == ("en", "sv")


def test_there_are_messages_to_translate(extracted: Catalog) -> None:
    keys = {_key(message) for message in extracted if message.id}
    assert len(keys) > 300
    assert ("missing required key '{key}'", None) in keys
    assert ("Initiatives", "agenda") in keys  # from a template, with its context


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(extracted: Catalog, language: str) -> None:
    catalog = catalogs.read(language)
    missing = [
        _key(message)
        for message in extracted
        if message.id
        and (
            (found := catalog.get(message.id, context=message.context)) is None
            or found.fuzzy
            or not all(_strings(found))
        )
    ]
    assert missing == [], f"translate these in {language} (make catalogs): {missing}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_catalog_keeps_a_message_no_longer_used(extracted: Catalog, language: str) -> None:
    catalog = catalogs.read(language)
    used = {_key(message) for message in extracted if message.id}
    stale = [_key(message) for message in catalog if message.id and _key(message) not in used]
    assert stale == [], f"no longer used, remove from {language} (make catalogs): {stale}"
    assert not catalog.obsolete


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_their_placeholders(language: str) -> None:
    wrong = []
    for message in catalogs.read(language):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
        wanted = set(_PLACES.findall(ids[-1])) | set(_PLACES.findall(ids[0]))
        for form, string in enumerate(_strings(message)):
            found = set(_PLACES.findall(string))
            required = wanted
            if form == 0 and len(ids) > 1:
                # A plural's singular may leave its count out ("one day" for "{num} days").
                required = wanted - {"{count}", "{num}", "%(num)s", "%(count)s"}
            if found - wanted or required - found:
                wrong.append((ids[0], string))
    assert wrong == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalog_is_the_po_file_compiled(language: str) -> None:
    compiled = io.BytesIO()
    write_mo(compiled, catalogs.read(language))
    shipped = catalogs.po_path(language).with_suffix(".mo").read_bytes()
    assert shipped == compiled.getvalue(), f"run make catalogs: {language}.mo is stale"


def test_a_language_kontrakt_lacks_speaks_english() -> None:
    with i18n.speaking("xx"):
        assert i18n.gettext("Open questions") == "Open questions"
    with i18n.speaking("sv"):
        assert i18n.gettext("Open questions") == "Öppna frågor"
        assert i18n.ngettext("{count} warning", "{count} warnings", 2) == "{count} varningar"
        assert i18n.pgettext("agenda", "Initiatives") == "På gång!"


@pytest.mark.parametrize(
    ("environment", "language"),
    [
        ({"LANGUAGE": "sv:en"}, "sv"),
        ({"LANGUAGE": "fi:sv"}, "sv"),
        ({"LC_ALL": "sv_SE.UTF-8"}, "sv"),
        ({"LC_ALL": "C", "LANG": "sv_SE.UTF-8"}, "en"),  # LC_ALL decides when set
        ({"LANG": "sv_FI@euro"}, "sv"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({}, "en"),
    ],
)
def test_the_environment_language_is_read_as_gettext_reads_it(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], language: str
) -> None:
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    for variable, value in environment.items():
        monkeypatch.setenv(variable, value)
    assert i18n.environment_language() == language


def test_a_new_message_is_copied_into_english_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """`make catalogs` starts a new message as a copy in English, the language it is
    written in, and leaves it for a translator everywhere else, whatever the order."""
    template = catalogs.extract()
    template.add("A message no catalog has yet")
    for language in LANGUAGES:  # English first, as the script goes
        updated = catalogs.updated(language, template)
        new = updated.get("A message no catalog has yet")
        assert new is not None
        expected = "A message no catalog has yet" if language == "en" else ""
        assert (new.string or "") == expected, language
        assert [m.id for m in catalogs.untranslated(updated)] == (
            [] if language == "en" else ["A message no catalog has yet"]
        )
