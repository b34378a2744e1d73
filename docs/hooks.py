"""mkdocs hooks: the operations reference made at build time from the model and the registry."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files


def _generator() -> Any:
    path = Path(__file__).with_name("gen_operations.py")
    spec = importlib.util.spec_from_file_location("gen_operations", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def on_files(files: Files, config: Any) -> Files:
    generator = _generator()
    files.append(File.generated(config, generator.PAGE, content=generator.render()))
    return files
