"""Intent handlers: one module per family (sessions, small talk, queries, ...), registered on import.

`load()` imports every module of this package once (the engine calls it when
it starts), so a new family only needs a new module here.
"""

from __future__ import annotations

import importlib
import pkgutil

_loaded = False


def load() -> None:
    """Import every module of `bot.intents` so their handlers register."""
    global _loaded
    if _loaded:
        return
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name != "registry" and not info.name.startswith("_"):
            importlib.import_module(f"{__name__}.{info.name}")
    _loaded = True
