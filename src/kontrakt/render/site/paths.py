"""Where each page of the site lives, and the relative links between them.

A page's path is made of plain names only: ids are `[a-z0-9-]` already, but a
path is still built by `site_path`, which refuses anything else, so no id (nor
a manifest read back from the folder) can name a file outside the output
folder. Links are relative, so the site works from a folder, a zip file or any
web server path.
"""

from __future__ import annotations

import re
from posixpath import relpath

_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,120}")
_ALLOWED_SCHEMES = ("http://", "https://", "mailto:")


class UnsafePath(ValueError):
    """A path part that is not a plain name: empty, `.`/`..`, a separator, a link up."""


def plain_name(name: str) -> str:
    """`name` if it is a plain file or folder name (lower-case letters, digits, `-`,
    `_` and `.`, not starting with a dot), else UnsafePath."""
    if not _NAME.fullmatch(name) or ".." in name:
        raise UnsafePath(f"not a plain name: {name!r}")
    return name


def site_path(*parts: str) -> str:
    """A path inside the site, `initiatives/salus-mea.html`, from plain names only."""
    if not parts:
        raise UnsafePath("an empty path")
    return "/".join(plain_name(part) for part in parts)


def checked_path(path: str) -> str:
    """A relative path read from elsewhere (a manifest): each part a plain name."""
    return site_path(*path.split("/"))


def href(source: str, target: str) -> str:
    """The relative link from page `source` to `target` (both site paths), with
    `#fragment` kept: `../budget/index.html#frames`."""
    path, hash_mark, fragment = target.partition("#")
    folder = source.rpartition("/")[0] or "."
    link = relpath(path, folder) if path else ""
    return link + hash_mark + fragment


def external_url(url: str | None) -> str | None:
    """A link to elsewhere only as http, https or mailto (the files' URLs are checked
    on reading; this holds whatever reaches a page)."""
    if url is None:
        return None
    return url if url.lower().startswith(_ALLOWED_SCHEMES) and url.isprintable() else None
