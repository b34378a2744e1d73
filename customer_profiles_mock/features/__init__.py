"""The areas of the API, one package each, with its ``models`` and ``operations``.

Importing this imports every feature package's ``operations``, which registers its handlers.

A feature package found here needs no line anywhere else: a new area is a new folder.
"""

from __future__ import annotations

import importlib
import pkgutil

FEATURES = tuple(sorted(info.name for info in pkgutil.iter_modules(__path__) if info.ispkg))

for _name in FEATURES:
    importlib.import_module(f"{__name__}.{_name}.operations")
