"""Every code block of README.md and docs/ runs as written, and the docs match the code.

How each block runs (docs/contributing/development.md says the same for authors):

- ``python`` without a title: run as a script in a fresh module, in a temporary working
  directory; then the ``unittest.TestCase`` classes it defines are run and its
  argument-less ``test*`` functions called. No mock may be left active.
- ``python title="name.py"``: one file of an example; the titled blocks under one ``##``
  heading of a page are written into one directory and run by pytest (``pytester``; in
  a subprocess when they import moto).
- ``json``: parsed; one titled ``seed.json`` is seeded with ``load()``.
- ``text``: output, not code.
- anything else (``bash``, ``javascript``, ``java``), or an illustrative fragment: marked
  ``<!-- skip: REASON -->`` on the line before it, and counted in ``SKIPPED``.

Files are found from this folder's parent, so the suite also runs from a copy holding
tests/, docs/, README.md and mkdocs.yml against an installed package.
"""

from __future__ import annotations

import ast
import asyncio
import importlib.util
import inspect
import json
import re
import subprocess
import sys
import types
import unittest
from collections import Counter
from dataclasses import dataclass
from importlib.metadata import metadata
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config

from customer_profiles_mock import VirtualClock, is_active, mock_customer_profiles

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = ROOT / "docs"

# Languages the suite runs, and those that are output rather than code.
RUN = {"python", "json"}
OUTPUT = {"text"}
# The blocks marked <!-- skip: ... -->, per page: adding one is a decision, made here.
SKIPPED = {
    "README.md": 1,  # the two commands (test_readme_first_commands_are_what_ci_runs)
    "docs/getting-started.md": 2,  # the two commands; pip install
    "docs/guides/server.md": 4,  # serve; the AWS CLI; JavaScript; Java
    "docs/contributing/development.md": 2,  # the suite and the docs build
    "docs/contributing/architecture.md": 1,  # the scaffold (tests/test_scaffold.py runs it)
}
# Modules an example may need that a CI run may lack, and why.
OPTIONAL = {"aiobotocore": "no aiobotocore supports this botocore (ci/newest.txt)"}


@dataclass(frozen=True)
class Block:
    page: str  # relative to the repository, posix
    line: int  # of the opening fence, 1-based
    lang: str
    title: str | None
    skip: str | None  # the reason given by <!-- skip: ... -->
    section: str  # the page's ## heading above the block ("" before the first)
    code: str

    @property
    def id(self) -> str:
        return f"{self.page}:{self.line}"


FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
SKIP = re.compile(r"^\s*<!--\s*skip:(?P<reason>.*?)-->\s*$")
TITLE = re.compile(r"""\btitle=(?:"([^"]*)"|'([^']*)'|(\S+))""")


def parse(path: Path) -> tuple[list[Block], list[str]]:
    """The fenced code blocks of a Markdown file, and its skip markers that precede none."""
    page = path.relative_to(ROOT).as_posix()
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    dangling: list[str] = []
    section = ""
    pending: tuple[int, str] | None = None  # a skip marker waiting for its block
    i = 0
    while i < len(lines):
        line = lines[i]
        fence = FENCE.match(line)
        if fence is None:
            if marker := SKIP.match(line):
                if pending is not None:
                    dangling.append(f"{page}:{pending[0]}")
                pending = (i + 1, marker["reason"].strip())
            elif line.strip():
                if pending is not None:
                    dangling.append(f"{page}:{pending[0]}")
                    pending = None
                if line.startswith("## "):
                    section = line[3:].strip()
            i += 1
            continue
        indent, mark, info = fence["indent"], fence["fence"], fence["info"].strip()
        end = i + 1
        while end < len(lines) and not re.match(
            rf"^{re.escape(indent)}{mark[0]}{{{len(mark)},}}\s*$", lines[end]
        ):
            end += 1
        body = [
            text[len(indent) :] if text.startswith(indent) else text for text in lines[i + 1 : end]
        ]
        title = TITLE.search(info)
        blocks.append(
            Block(
                page=page,
                line=i + 1,
                lang=info.split()[0].lower() if info else "",
                title=next(g for g in title.groups() if g is not None) if title else None,
                skip=pending[1] if pending else None,
                section=section,
                code="\n".join(body) + "\n",
            )
        )
        pending = None
        i = end + 1
    if pending is not None:
        dangling.append(f"{page}:{pending[0]}")
    return blocks, dangling


PAGES = [README, *sorted(DOCS.rglob("*.md"))]
BLOCKS: list[Block] = []
DANGLING: list[str] = []
for _path in PAGES:
    _blocks, _dangling = parse(_path)
    BLOCKS += _blocks
    DANGLING += _dangling

# Single blocks, each a test of its own; the skipped ones shown as skipped, with the reason.
SINGLE = [
    pytest.param(b, id=b.id, marks=[pytest.mark.skip(reason=b.skip)] if b.skip else [])
    for b in BLOCKS
    if b.skip is not None or (b.lang in RUN and not (b.lang == "python" and b.title))
]
# Multi-file examples: the titled python blocks under one ## heading of a page.
_GROUPS: dict[tuple[str, str], list[Block]] = {}
for _block in BLOCKS:
    if _block.lang == "python" and _block.title and _block.skip is None:
        _GROUPS.setdefault((_block.page, _block.section), []).append(_block)
GROUPS = [pytest.param(group, id=group[0].id) for group in _GROUPS.values()]


def _imported(code: str) -> set[str]:
    """The top-level packages the code imports."""
    roots = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            roots.add(node.module.split(".")[0])
    return roots


def _missing_optional(code: str) -> str | None:
    """Why the block cannot run here: an OPTIONAL module it imports is not installed."""
    for root in sorted(_imported(code) & set(OPTIONAL)):
        if importlib.util.find_spec(root) is None:
            return f"needs {root}: {OPTIONAL[root]}"
    return None


def _run_python(block: Block) -> types.ModuleType:
    """Run the block as a script, then what it defines that a test runner would run."""
    if reason := _missing_optional(block.code):
        pytest.skip(reason)
    module = types.ModuleType("docs_example")
    module.__file__ = str(ROOT / block.page)
    # Line numbers in tracebacks are the page's.
    code = compile("\n" * block.line + block.code, str(ROOT / block.page), "exec")
    sys.modules[module.__name__] = module
    try:
        exec(code, module.__dict__)
        for value in list(vars(module).values()):
            if getattr(value, "__module__", None) != module.__name__:
                continue
            if isinstance(value, type) and issubclass(value, unittest.TestCase):
                result = unittest.TestResult()
                unittest.defaultTestLoader.loadTestsFromTestCase(value).run(result)
                assert result.wasSuccessful(), result.failures + result.errors
                assert result.testsRun > 0, f"{value.__name__} ran no test"
            elif (
                inspect.isfunction(value)
                and value.__name__.startswith("test")
                and not inspect.signature(value).parameters
            ):
                outcome = value()
                if inspect.iscoroutine(outcome):
                    asyncio.run(outcome)
    finally:
        del sys.modules[module.__name__]
        for value in vars(module).values():  # a failing line leaves no process behind
            if isinstance(value, subprocess.Popen) and value.poll() is None:
                value.kill()
                value.communicate()
    assert not is_active(), "the example left a mock active"
    return module


@pytest.mark.parametrize("block", SINGLE)
def test_example_runs(block: Block, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    if block.lang == "python":
        _run_python(block)
        return
    data = json.loads(block.code)
    if block.title == "seed.json":
        with mock_customer_profiles() as cp:
            created = cp.load(data)
        assert created, created
        assert all(created.values()), created


def _test_functions(code: str) -> int:
    """How many tests pytest collects from the file at least (parametrizing makes more)."""
    tree = ast.parse(code)
    scopes = [
        tree,
        *(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name.startswith("Test")),
    ]
    return sum(
        isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name.startswith("test")
        for scope in scopes
        for n in scope.body
    )


@pytest.mark.parametrize("group", GROUPS)
def test_multi_file_example_passes(group: list[Block], pytester: pytest.Pytester) -> None:
    for block in group:
        if reason := _missing_optional(block.code):
            pytest.skip(f"{block.title} {reason}")
        path = pytester.path / str(block.title)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(block.code, encoding="utf-8")
    args = ("-p", "no:randomly", "-p", "no:cacheprovider", "--strict-markers")
    if any("moto" in _imported(b.code) for b in group):
        # An in-process run would unload the moto it imports, under this suite's feet.
        result = pytester.runpytest_subprocess(*args)
    else:  # the package is imported already: pytest cannot rewrite its asserts, and says so
        result = pytester.runpytest(*args, "-W", "ignore::pytest.PytestAssertRewriteWarning")
    outcomes = result.parseoutcomes()
    tests = sum(_test_functions(b.code) for b in group)
    assert result.ret == 0, result.stdout.str()
    assert set(outcomes) <= {"passed", "warnings"}, outcomes
    assert outcomes["passed"] >= tests > 0, outcomes


def test_skipped_blocks_are_exactly_the_marked_ones() -> None:
    unrunnable = {b.id for b in BLOCKS if b.lang not in RUN | OUTPUT}
    marked = {b.id for b in BLOCKS if b.skip is not None}
    assert unrunnable <= marked, f"mark these <!-- skip: REASON -->: {sorted(unrunnable - marked)}"
    assert all(b.skip for b in BLOCKS if b.skip is not None), "a skip needs a reason"
    assert Counter(b.page for b in BLOCKS if b.skip is not None) == SKIPPED


def test_skip_markers_each_precede_a_code_block() -> None:
    assert DANGLING == []


def test_every_code_block_names_its_language() -> None:
    assert [b.id for b in BLOCKS if not b.lang] == []


def test_multi_file_examples_are_found_by_title() -> None:
    titled = {(b.page, b.title) for b in BLOCKS if b.title and b.lang == "python"}
    assert ("README.md", "test_customers.py") in titled
    assert ("docs/guides/without-pytest.md", "customers.py") in titled
    assert len(GROUPS) >= 6


def test_readme_first_commands_are_what_ci_runs() -> None:
    text = README.read_text(encoding="utf-8")
    commands = re.findall(r"^(python3 -m venv .*)$", text, flags=re.MULTILINE)
    assert commands[0].endswith("python -m customer_profiles_mock demo")
    assert commands[1].endswith("pip install -q -e '.[test]' && pytest")
    # The first code block of the README holds them, before anything else.
    assert BLOCKS[0].page == "README.md"
    assert commands[0] in BLOCKS[0].code
    ci = ROOT / ".ci" / "run"
    if not ci.exists():
        pytest.skip("no .ci/run beside tests/ (a copy of the suite without the source tree)")
    assert commands[1] in ci.read_text(encoding="utf-8")


def test_readme_and_home_page_count_the_served_operations() -> None:
    served = len(_generator().served_operations())
    for page in (ROOT / "README.md", DOCS / "index.md"):
        text = " ".join(page.read_text(encoding="utf-8").split())
        assert f"({served} operations" in text, page.name


def test_readme_is_at_most_8_kb() -> None:
    assert README.stat().st_size <= 8_000


def test_readme_links_point_to_existing_files() -> None:
    text = README.read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text)
    local = [t for t in targets if "://" not in t]
    assert local, "the README links to the docs"
    assert [t for t in local if not (ROOT / t).is_file()] == []


def test_every_page_is_in_the_nav() -> None:
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    pages = {p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")}
    pages.add(_generator().PAGE)  # made at build time (docs/hooks.py)
    listed = set(re.findall(r":\s*(\S+\.md)\s*$", nav, flags=re.MULTILINE))
    assert listed == pages


def test_extras_table_lists_every_extra() -> None:
    text = (DOCS / "getting-started.md").read_text(encoding="utf-8")
    table = text[text.index("| extra | brings | for |") :].split("\n\n", 1)[0]
    listed = re.findall(r"^\| `([\w-]+)` \|", table, flags=re.MULTILINE)
    extras = metadata("customer-profiles-mock").get_all("Provides-Extra") or []
    # demo, test and docs are for working on this project (docs/contributing/development.md).
    assert sorted(listed) == sorted(set(extras) - {"demo", "test", "docs"})


def _control_api() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The server app's fault kinds and handle methods."""
    from customer_profiles_mock.server.app import FAULT_KINDS, HANDLE_METHODS

    return tuple(FAULT_KINDS), tuple(HANDLE_METHODS)


def test_control_api_page_lists_every_route_kind_and_method() -> None:
    fault_kinds, handle_methods = _control_api()
    page = (DOCS / "reference" / "control-api.md").read_text(encoding="utf-8")
    routes = re.findall(r"^\| `(GET|POST|DELETE) (/_cpm/\S+)` \|", page, flags=re.MULTILINE)
    assert [f"{m} {p}" for m, p in routes] == [
        "GET /_cpm/health",
        "POST /_cpm/reset",
        "POST /_cpm/seed",
        "POST /_cpm/handle/<method>",
        "POST /_cpm/faults",
        "GET /_cpm/faults",
        "GET /_cpm/faults/<id>",
        "DELETE /_cpm/faults/<id>",
        "DELETE /_cpm/faults",
        "GET /_cpm/calls",
    ]
    assert [k for k in fault_kinds if f"`{k}`" not in page] == []
    assert [m for m in handle_methods if f"`{m}`" not in page] == []


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location("gen_operations", DOCS / "gen_operations.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_operations_page_marks_exactly_the_served_operations() -> None:
    # Under any botocore: the served operations its model has (1.40.15 lacks one).
    import botocore.session

    generator = _generator()
    model = botocore.session.get_session().get_service_model("customer-profiles")
    served = [name for name in generator.served_operations() if name in model.operation_names]
    page = generator.render()
    marked = re.findall(r"^\| \[`(\w+)`\]\(#\w+\) \| yes \|", page, flags=re.MULTILINE)
    assert marked == sorted(served)
    sections = re.findall(r"^### (\w+)$", page, flags=re.MULTILINE)
    assert sections == sorted(served)


def test_fidelity_page_marks_the_inferred_behaviour() -> None:
    page = (DOCS / "fidelity.md").read_text(encoding="utf-8")
    inferred = page[page.index("## Inferred behaviour [INFERRED]") :]
    assert len(re.findall(r"^- ", inferred, flags=re.MULTILINE)) >= 20


def test_virtual_clock_example_behaves_as_its_comments_say() -> None:
    # docs/guides/faults.md: "two creates pass, the third is throttled", "one more token".
    clock = VirtualClock()
    config = Config(retries={"total_max_attempts": 1})
    with mock_customer_profiles(clock=clock) as cp:
        cp.create_domain("shop")
        cp.rate_limit("CreateProfile", per_second=1, burst=2)
        client = boto3.client("customer-profiles", region_name=cp.region, config=config)
        client.create_profile(DomainName="shop", FirstName="A")
        client.create_profile(DomainName="shop", FirstName="B")
        with pytest.raises(client.exceptions.ThrottlingException):
            client.create_profile(DomainName="shop", FirstName="C")
        clock.advance(1)
        client.create_profile(DomainName="shop", FirstName="C")
