"""Pydantic's plugin loader kept off the start-up path while plugins are off.

Pydantic asks its plugin loader for plugins each time it builds a validator (and
Typer builds one for each option of the command it runs). The loader's module
imports `importlib.metadata` when it is imported, about 8 ms of a 150 ms start,
even where PYDANTIC_DISABLE_PLUGINS says no plugin is to be loaded. kontrakt
sets that variable by default (cli.main). While it says so, a stand-in under the
loader's name answers "no plugins", as the loader itself would answer; a user
who sets the variable otherwise gets Pydantic's own loader, and anything else
asked of the stand-in loads the real loader in its place.
"""

from __future__ import annotations

import importlib
import os
import sys
import types
from typing import Any

LOADER = "pydantic.plugin._loader"
_OFF = ("__all__", "1", "true")  # what Pydantic's loader reads as "load none"


def _off() -> bool:
    return os.environ.get("PYDANTIC_DISABLE_PLUGINS") in _OFF


def keep_loader_off() -> None:
    """Put the stand-in in place, if plugins are off and the loader is not loaded yet."""
    if not _off() or LOADER in sys.modules:
        return
    import pydantic.plugin  # already loaded wherever Typer is: it validates with Pydantic

    stand_in = types.ModuleType(LOADER, __doc__)
    stand_in.get_plugins = _get_plugins  # type: ignore[attr-defined]
    stand_in.__getattr__ = _real_attribute  # type: ignore[method-assign]
    sys.modules[LOADER] = stand_in
    pydantic.plugin._loader = stand_in  # type: ignore[attr-defined]


def _get_plugins() -> Any:
    if _off():
        return ()
    return _real().get_plugins()


def _real_attribute(name: str) -> Any:
    if name.startswith("__"):  # the import system asks whether it is a package
        raise AttributeError(name)
    return getattr(_real(), name)


def _real() -> types.ModuleType:
    """Pydantic's own loader, in the stand-in's place from now on."""
    if getattr(sys.modules.get(LOADER), "get_plugins", None) is _get_plugins:
        del sys.modules[LOADER]
    return importlib.import_module(LOADER)
