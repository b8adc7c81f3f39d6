"""Entity ids: the file name without `.yaml`, as a lowercase ASCII slug.

Ids are ASCII on purpose: they travel through URLs, shells, calendar UIDs and
file systems that store `å` differently (macOS decomposes it), so `måltider`
and `måltider` could be two different names. Swedish letters are written
without their marks: å -> a, ä -> a, ö -> o (and é -> e, ü -> u ...).
"""

from __future__ import annotations

import re
import unicodedata

from kontrakt.i18n import _, numeral

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
MAX_ID_LENGTH = 80
_ID = re.compile(ID_PATTERN)
_SEPARATORS = re.compile(r"[^a-z0-9]+")


# Names Windows gives to devices, with any extension (`con.yaml` too): a file so
# named cannot be checked out there. COM0/LPT0 and the superscript forms count too.
_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"]
    + [f"{device}{n}" for device in ("com", "lpt") for n in (*"0123456789", "¹", "²", "³")]
)
# Characters Windows refuses in a name, besides the controls.
_WINDOWS_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


def is_valid_id(value: str) -> bool:
    """A slug in full: a trailing newline is not part of one."""
    return len(value) <= MAX_ID_LENGTH and _ID.fullmatch(value) is not None


def portable_name_problem(name: str) -> str | None:
    """Why a file or folder name cannot be checked out on every system, if it cannot."""
    if name.split(".", 1)[0].rstrip(" ").lower() in _RESERVED:
        return _("'{name}' is a name Windows reserves for a device; rename it").format(name=name)
    if name.endswith("."):
        return _("'{name}' ends in a dot, which Windows drops; rename it").format(name=name)
    if name.endswith(" "):
        return _("'{name}' ends in a space, which Windows drops; rename it").format(name=name)
    forbidden = _WINDOWS_FORBIDDEN.search(name)
    if forbidden is not None:
        return _(
            "'{name}' holds {character}, which Windows does not allow in a name; rename it"
        ).format(name=name, character=repr(forbidden.group()))
    return None


def slugify(text: str) -> str:
    """A valid id from a title: 'Måltider och möten' -> 'maltider-och-moten'."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    ascii_only = decomposed.encode("ascii", "ignore").decode("ascii")
    slug = _SEPARATORS.sub("-", ascii_only).strip("-")[:MAX_ID_LENGTH].rstrip("-")
    return f"{slug}-1" if slug in _RESERVED else slug  # 'Aux' -> 'aux-1', never a device


def id_problem(value: str) -> str | None:
    """Why `value` is not a valid id, with the id to use instead; None when valid."""
    if is_valid_id(value):
        return None
    suggestion = slugify(value)
    use = suggestion if suggestion and suggestion != value else None
    if len(value) > MAX_ID_LENGTH:
        shown = f"{value[:40]}…"
        if use:
            return _("id '{id}' is longer than {limit} characters; use '{suggestion}'").format(
                id=shown, limit=numeral(MAX_ID_LENGTH), suggestion=use
            )
        return _("id '{id}' is longer than {limit} characters").format(
            id=shown, limit=numeral(MAX_ID_LENGTH)
        )
    if use:
        return _(
            "'{id}' is not a valid id: use lowercase a-z, digits and single hyphens "
            "(å, ä, ö become a, a, o); use '{suggestion}'"
        ).format(id=value, suggestion=use)
    return _(
        "'{id}' is not a valid id: use lowercase a-z, digits and single hyphens "
        "(å, ä, ö become a, a, o)"
    ).format(id=value)


def file_id_problem(value: str) -> str | None:
    """Why `value` cannot be the id of a file: not a slug, or a name Windows keeps for
    a device (`aux` is a fine vocabulary key, but `aux.yaml` cannot be checked out)."""
    if value in _RESERVED:
        return _(
            "'{id}' is a name Windows reserves for a device, so its file could not be "
            "checked out there; use '{suggestion}' or another id"
        ).format(id=value, suggestion=f"{value}-1")
    return id_problem(value)
