"""Extract kontrakt's messages, update every language's catalog, compile them.

`make catalogs` runs this. The messages are found as `babel.cfg` says (Python
sources and the shipped templates); each `locale/<lang>/LC_MESSAGES/kontrakt.po`
gains the new messages (empty, for a translator) and loses the ones no longer
used; English, the language the messages are written in, starts each new entry
as a copy of its message. Each catalog is then compiled to the `.mo` beside it,
which is what kontrakt reads at run time.

Also imported by tests/test_catalogs.py, which fails when a catalog is not
what this would make of it.
"""

from __future__ import annotations

import copy
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "src" / "kontrakt" / "locale"
DOMAIN = "kontrakt"
SOURCE_LANGUAGE = "en"
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "N_": None,
}


def extract() -> Catalog:
    """Every message in the code and the shipped templates, as a template catalog."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as file:
        method_map, options_map = parse_mapping_cfg(file)
    template = Catalog(project="kontrakt", charset="utf-8", fuzzy=False)
    for path, line, message, comments, context in extract_from_dir(
        ROOT, method_map, options_map, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)
    ):
        template.add(
            message, None, [(path, line)], auto_comments=comments, context=context
        )
    return template


def po_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def catalog_languages() -> list[str]:
    return sorted(folder.name for folder in LOCALE.iterdir() if po_path(folder.name).is_file())


def read(language: str) -> Catalog:
    with po_path(language).open("rb") as file:
        return read_po(file, locale=language, domain=DOMAIN)


def updated(language: str, template: Catalog) -> Catalog:
    """The language's catalog with the template's messages: new ones empty (or, in
    English, copied), unused ones gone, translations kept."""
    catalog = read(language)
    # Babel puts the template's own message objects into the catalog for new
    # messages: each language gets copies, or English words would reach the next.
    template = copy.deepcopy(template)
    created = catalog.creation_date  # unchanged, so an update changes only what changed
    catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
    catalog.creation_date = created
    catalog.obsolete.clear()
    if language == SOURCE_LANGUAGE:
        for message in catalog:
            if message.id and not _translated(message):
                message.string = message.id
    return catalog


def _translated(message: Message) -> bool:
    strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
    return all(strings)


def write(language: str, catalog: Catalog) -> None:
    catalog.header_comment = (
        f"# kontrakt's messages in {catalog.locale.english_name if catalog.locale else language}.\n"
        "# Written in English in the code; `make catalogs` updates this file from it.\n"
        "# How to translate, and how to add a language: docs/languages.md."
    )
    catalog.project = "kontrakt"
    catalog.version = ""
    catalog.msgid_bugs_address = ""
    catalog.last_translator = "kontrakt"
    catalog.language_team = "kontrakt"
    po_path(language).parent.mkdir(parents=True, exist_ok=True)
    with po_path(language).open("wb") as file:
        write_po(file, catalog, width=100, sort_output=False, include_previous=False)
    with po_path(language).with_suffix(".mo").open("wb") as file:
        write_mo(file, catalog)


def untranslated(catalog: Catalog) -> Iterator[Message]:
    for message in catalog:
        if message.id and (not _translated(message) or message.fuzzy):
            yield message


def start(language: str) -> None:
    """An empty catalog for a new language, to translate after `make catalogs`."""
    path = po_path(language)
    if path.exists():
        raise SystemExit(f"{path.relative_to(ROOT)} exists already")
    path.parent.mkdir(parents=True)
    write(language, Catalog(locale=language, project="kontrakt", domain=DOMAIN, fuzzy=False))


def main(arguments: list[str]) -> int:
    """`catalogs.py` updates every catalog; `catalogs.py --new fi` first starts Finnish."""
    if arguments[:1] == ["--new"] and len(arguments) == 2:
        start(arguments[1])
    elif arguments:
        raise SystemExit("usage: catalogs.py [--new LANGUAGE]")
    template = extract()
    missing = 0
    for language in catalog_languages():
        catalog = updated(language, template)
        write(language, catalog)
        todo = list(untranslated(catalog))
        missing += len(todo)
        print(f"{language}: {len(catalog)} messages, {len(todo)} to translate")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
