"""Entity ids: the file name without `.yaml`, as a lowercase ASCII slug.

Ids are ASCII on purpose: they travel through URLs, shells, calendar UIDs and
file systems that store `å` differently (macOS decomposes it), so `måltider`
and `måltider` could be two different names. Swedish letters are written
without their marks: å -> a, ä -> a, ö -> o (and é -> e, ü -> u ...).
"""

from __future__ import annotations

import re
import unicodedata

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
MAX_ID_LENGTH = 80
_ID = re.compile(ID_PATTERN)
_SEPARATORS = re.compile(r"[^a-z0-9]+")


def is_valid_id(value: str) -> bool:
    return len(value) <= MAX_ID_LENGTH and _ID.match(value) is not None


def slugify(text: str) -> str:
    """A valid id from a title: 'Måltider och möten' -> 'maltider-och-moten'."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    ascii_only = decomposed.encode("ascii", "ignore").decode("ascii")
    slug = _SEPARATORS.sub("-", ascii_only).strip("-")
    return slug[:MAX_ID_LENGTH].rstrip("-")


def id_problem(value: str) -> str | None:
    """Why `value` is not a valid id, with the id to use instead; None when valid."""
    if is_valid_id(value):
        return None
    suggestion = slugify(value)
    hint = f"; use '{suggestion}'" if suggestion and suggestion != value else ""
    if len(value) > MAX_ID_LENGTH:
        return f"id '{value[:40]}…' is longer than {MAX_ID_LENGTH} characters{hint}"
    return (
        f"'{value}' is not a valid id: use lowercase a-z, digits and single hyphens "
        f"(å, ä, ö become a, a, o){hint}"
    )
