"""The package's layout holds: no import cycles, one docstring line atop every module, and
every feature package found and registered. The layer contract itself is import-linter's
(``lint-imports``, run by .ci/run, configured in pyproject.toml)."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from pathlib import Path

import grimp

import customer_profiles_mock
from customer_profiles_mock import features
from customer_profiles_mock.core.operations import OPERATIONS

PACKAGE = Path(customer_profiles_mock.__file__).parent
ARCHITECTURE = Path(__file__).resolve().parent.parent / "docs" / "contributing" / "architecture.md"


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return found


def test_package_has_no_import_cycles():
    graph = grimp.build_graph("customer_profiles_mock")
    assert len(graph.modules) > 50  # the whole package was read
    assert _cycles(graph) == []


def test_cycle_finder_finds_a_cycle():
    graph = grimp.ImportGraph()
    for name in ("pkg", "pkg.a", "pkg.b", "pkg.c"):
        graph.add_module(name)
    graph.add_import(importer="pkg.a", imported="pkg.b")
    graph.add_import(importer="pkg.b", imported="pkg.a")
    graph.add_import(importer="pkg.c", imported="pkg.a")
    assert _cycles(graph) == [["pkg.a", "pkg.b"]]


def test_every_module_opens_with_a_one_line_docstring():
    """A summary line, alone: the docstring ends there or a blank line follows (PEP 257)."""
    missing = []
    for path in sorted(PACKAGE.rglob("*.py")):
        docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")), clean=False)
        lines = (docstring or "").split("\n")
        if not lines[0].strip() or (len(lines) > 1 and lines[1].strip()):
            missing.append(path.relative_to(PACKAGE).as_posix())
    assert missing == []


def test_features_are_every_package_of_the_features_folder():
    on_disk = sorted(
        p.name for p in (PACKAGE / "features").iterdir() if (p / "__init__.py").exists()
    )
    assert list(features.FEATURES) == on_disk
    assert {"domains", "profiles", "object_types", "objects", "tags"} <= set(on_disk)


def test_every_feature_has_its_operations_and_models():
    for name in features.FEATURES:
        package = importlib.import_module(f"customer_profiles_mock.features.{name}")
        modules = {info.name for info in pkgutil.iter_modules(package.__path__)}
        assert {"models", "operations"} <= modules, name


def test_every_handler_lives_in_its_feature_operations_module():
    for operation in OPERATIONS.values():
        module = operation.handler.__module__
        assert module.startswith("customer_profiles_mock.features."), operation.name
        assert module.endswith(".operations"), operation.name


def test_architecture_page_lists_every_module_but_the_feature_areas():
    # A feature area is its own folder and needs no line anywhere else: the page lists
    # every module outside features/<area>/, and no module that does not exist.
    page = ARCHITECTURE.read_text(encoding="utf-8")
    table = page[page.index("## Every module") :]
    listed = re.findall(r"^\| `([\w/]+\.py)` \|", table, flags=re.MULTILINE)
    modules = {path.relative_to(PACKAGE).as_posix() for path in PACKAGE.rglob("*.py")}
    in_areas = {m for m in modules if re.match(r"features/\w+/", m)}
    assert sorted(modules - in_areas - set(listed)) == []
    assert sorted(set(listed) - modules) == []
    assert len(listed) == len(set(listed))


def test_every_handler_documents_its_operation():
    # The docstring is the operation's entry in the operations reference.
    undocumented = sorted(name for name, op in OPERATIONS.items() if not op.handler.__doc__)
    assert undocumented == []
