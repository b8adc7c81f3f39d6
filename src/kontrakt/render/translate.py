"""gettext for templates: `{{ _("Open questions") }}`, `{% trans %}` and plurals.

Installed in the template sandbox as Jinja's i18n extension expects in its
"newstyle" form: each call gets the values to fill in as keywords
(`_("News from %(name)s", name=name)`). The words come from kontrakt's catalogs
in the language the document is rendered in. A translation is kontrakt's own
Markdown, like the template text it stands for; the values filled in are
escaped as every `{{ … }}` is, and measured first, as every value in the
sandbox is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kontrakt import i18n
from kontrakt.render.markdown import Markdown, escape_inline
from kontrakt.render.sandbox import check_filled, check_value

# A translation and its values made into a document's markup.
Filler = Callable[[str, dict[str, object]], Any]


def install(environment: Any, fill: Filler | None = None) -> None:
    """`_()`, `gettext`, `ngettext`, `pgettext` and `{% trans %}` in a template
    environment; `fill` makes the document's markup of a translation with its
    values (Markdown by default; html.py gives HTML's)."""
    fill = fill or _filled
    environment.newstyle_gettext = True

    def text(message: str, **values: object) -> Any:
        return fill(i18n.gettext(str(message)), values)

    def plural(singular: str, plural: str, num: int, **values: object) -> Any:
        values.setdefault("num", num)
        return fill(i18n.ngettext(str(singular), str(plural), _count(num)), values)

    def in_context(context: str, message: str, **values: object) -> Any:
        return fill(i18n.pgettext(str(context), str(message)), values)

    environment.globals.update(_=text, gettext=text, ngettext=plural, pgettext=in_context)


def checked(values: dict[str, object], escape: Callable[[object], str]) -> dict[str, str]:
    """The values to fill in, measured and escaped as every value in the sandbox is."""
    for value in values.values():
        check_value(value)
    return {name: escape(value) for name, value in values.items()}


def _count(num: object) -> int:
    """gettext chooses a plural form by an integer; anything else is the template's
    mistake, said as one."""
    if isinstance(num, bool) or not isinstance(num, int):
        raise TypeError(f"ngettext needs a whole number to count by, not {type(num).__name__}")
    return num


def _filled(text: str, values: dict[str, object]) -> Markdown:
    escaped = checked(values, lambda value: str(escape_inline(value)))
    check_filled(text, escaped)
    return Markdown(text % escaped)
