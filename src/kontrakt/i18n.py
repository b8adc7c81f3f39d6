"""kontrakt's own words in the reader's language, from gettext catalogs.

Code and templates are written in English and mark each message: `_()`,
`ngettext()` for plurals, `pgettext()` where one English word has two meanings,
`N_()` for a message kept in a constant and translated where it is used.
`locale/<language>/LC_MESSAGES/kontrakt.po` holds each language's words;
`make catalogs` extracts the messages with Babel, updates every catalog and
compiles it to the `.mo` file beside it, which is what runs (read with the
standard library, only when a run first needs a word).

Which language speaks is a context, not an argument: documents are rendered
in the portfolio's language; messages in the one `--lang` or KONTRAKT_LANG
asks for, else the portfolio's, else the user's environment (LANGUAGE,
LC_ALL, LC_MESSAGES, LANG), else English.
"""

from __future__ import annotations

import gettext as _gettext
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache, wraps
from pathlib import Path
from typing import TYPE_CHECKING, Concatenate, ParamSpec, Protocol, TypeVar

if TYPE_CHECKING:
    from decimal import Decimal

DOMAIN = "kontrakt"
SOURCE_LANGUAGE = "en"  # the language the messages are written in
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

# The locale for numbers and dates when a portfolio names only its language;
# any other language formats as Babel's locale of the same name.
_DEFAULT_LOCALES = {"sv": "sv_SE", "en": "en_GB"}

# A document speaks its portfolio's language within `speaking()` (per context, so
# nested and concurrent renders each keep theirs); messages speak the process's
# message language, which the CLI sets once it knows it (`speak_messages`).
_speaking: ContextVar[str | None] = ContextVar("kontrakt_speaking", default=None)
# Numbers in messages are written as the portfolio's locale writes them: while a
# portfolio is loaded (per context, as `_speaking`), and in the process once the
# CLI knows which portfolio it works on (`speak_numbers`).
_numbers: ContextVar[str | None] = ContextVar("kontrakt_numbers", default=None)
_process: dict[str, str | None] = {"asked": None, "messages": None, "locale": None}


@cache
def languages() -> tuple[str, ...]:
    """Every language kontrakt speaks: one catalog folder each."""
    if not LOCALE_DIR.is_dir():
        return (SOURCE_LANGUAGE,)
    found = {
        folder.name
        for folder in LOCALE_DIR.iterdir()
        if (folder / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file()
    }
    return tuple(sorted(found | {SOURCE_LANGUAGE}))


@cache
def catalog(language: str) -> _gettext.NullTranslations:
    """The compiled catalog of a language; the English source for one kontrakt lacks."""
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
    if language not in languages() or not path.is_file():
        return _gettext.NullTranslations()  # the messages as written
    with path.open("rb") as file:
        return _gettext.GNUTranslations(file)


def default_locale(language: str) -> str:
    """The locale numbers and dates follow when a portfolio sets only its language."""
    return _DEFAULT_LOCALES.get(language, language)


def current() -> str:
    """The language speaking now."""
    return _speaking.get() or _process["messages"] or environment_language()


def gettext(message: str) -> str:
    return catalog(current()).gettext(message)


_ = gettext


def ngettext(singular: str, plural: str, n: int) -> str:
    return catalog(current()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return catalog(current()).pgettext(context, message)


def N_(message: str) -> str:
    """Mark a message for the catalogs; it is translated with `_()` where used."""
    return message


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Words within come in `language` (a document in its portfolio's language)."""
    token = _speaking.set(language)
    try:
        yield
    finally:
        _speaking.reset(token)


class _Settings(Protocol):
    @property
    def language(self) -> str: ...


class _Portfolio(Protocol):
    @property
    def settings(self) -> _Settings: ...


P = ParamSpec("P")
R = TypeVar("R")
Pf = TypeVar("Pf", bound=_Portfolio)


def in_portfolio_language(
    function: Callable[Concatenate[Pf, P], R],
) -> Callable[Concatenate[Pf, P], R]:
    """A renderer whose first argument is the portfolio speaks its language."""

    @wraps(function)
    def speaking_its_language(portfolio: Pf, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with speaking(portfolio.settings.language):
            return function(portfolio, *args, **kwargs)

    return speaking_its_language


def ask_for(language: str | None) -> None:
    """The language a user asked for (`--lang`, KONTRAKT_LANG): messages use it
    whatever the portfolio's language; None gives the choice back."""
    _process["asked"] = language


def message_language(portfolio_language: str | None = None) -> str:
    """The language messages come in: asked for, else the portfolio's, else the
    environment's."""
    return _process["asked"] or portfolio_language or environment_language()


def speak_messages(portfolio_language: str | None = None) -> None:
    """From here on, messages come in `message_language(portfolio_language)`: the
    CLI says this once it knows which portfolio it works on."""
    _process["messages"] = message_language(portfolio_language)


def reset() -> None:
    """Nothing asked for, nobody speaking: as a new process starts (for tests)."""
    _process.update(asked=None, messages=None, locale=None)
    _speaking.set(None)
    _numbers.set(None)


def numbers_locale() -> str:
    """The locale a number in a message is written in: the portfolio's, else the
    default locale of the language speaking."""
    return _numbers.get() or _process["locale"] or default_locale(current())


@contextmanager
def numbers_in(locale: str | None) -> Iterator[None]:
    """Numbers in messages within are written as `locale` writes them (None: as
    `numbers_locale` says without it)."""
    token = _numbers.set(locale)
    try:
        yield
    finally:
        _numbers.reset(token)


def speak_numbers(locale: str | None) -> None:
    """From here on, numbers in messages are written as `locale` writes them: the
    CLI says this once it knows the portfolio (None gives the choice back)."""
    _process["locale"] = locale


def numeral(value: int | float | Decimal) -> str:
    """A number in a message as the portfolio's locale writes it, every digit kept:
    `12,5` and `1 000` in Swedish, `12.5` and `1,000` in British English. A number
    the reader is to write in a file (YAML's `12.5`) is not one of these."""
    from kontrakt.currency import number as written

    return written(value, numbers_locale())


def environment_language() -> str:
    """The first language of the user's environment that kontrakt speaks, as gettext
    reads it (LANGUAGE, LC_ALL, LC_MESSAGES, LANG); else English."""
    known = languages()
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if not value:
            continue
        for entry in value.split(":"):
            code = entry.split(".")[0].split("@")[0].split("_")[0].lower()
            if code in known:
                return code
        if variable != "LANGUAGE":
            break  # the first of LC_ALL, LC_MESSAGES, LANG that is set decides
    return SOURCE_LANGUAGE
