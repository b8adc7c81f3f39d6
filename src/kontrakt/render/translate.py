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

from kontrakt import i18n
from kontrakt.render.markdown import Markdown, escape_inline
from kontrakt.render.sandbox import check_filled, check_value


def gettext(message: str, **values: object) -> Markdown:
    return _filled(i18n.gettext(str(message)), values)


def ngettext(singular: str, plural: str, num: int, **values: object) -> Markdown:
    values.setdefault("num", num)
    return _filled(i18n.ngettext(str(singular), str(plural), _count(num)), values)


def pgettext(context: str, message: str, **values: object) -> Markdown:
    return _filled(i18n.pgettext(str(context), str(message)), values)


def _count(num: object) -> int:
    """gettext chooses a plural form by an integer; anything else is the template's
    mistake, said as one."""
    if isinstance(num, bool) or not isinstance(num, int):
        raise TypeError(f"ngettext needs a whole number to count by, not {type(num).__name__}")
    return num


def _filled(text: str, values: dict[str, object]) -> Markdown:
    for value in values.values():
        check_value(value)
    escaped = {name: str(escape_inline(value)) for name, value in values.items()}
    check_filled(text, escaped)
    return Markdown(text % escaped)
