"""The README's examples run as written, and its tables match the code."""

from __future__ import annotations

import re
from importlib.metadata import metadata
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config

import customer_profiles_mock
from customer_profiles_mock import VirtualClock, mock_customer_profiles
from customer_profiles_mock._operations import OPERATIONS

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    start = README.index(f"## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end != -1 else None]


def _python_blocks(text: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)


def test_readme_without_pytest_example_runs_as_two_files(pytester):
    code, test = _python_blocks(_section("Without pytest"))
    pytester.makepyfile(customers=code, test_customers=test)
    pytester.syspathinsert()
    result = pytester.runpytest(
        "-p", "no:customer_profiles_mock", "-p", "no:randomly", "-p", "no:cacheprovider"
    )
    result.assert_outcomes(passed=2)


def test_readme_virtual_clock_example_runs():
    block = _python_blocks(_section("Fault injection"))[-1].replace("    ...", "    pass")
    namespace: dict[str, object] = {}
    exec(compile(block, "README.md", "exec"), namespace)
    clock = namespace["clock"]
    assert clock.time() == 1  # type: ignore[attr-defined]
    # And the behaviour the comments describe:
    clock = VirtualClock()
    config = Config(retries={"total_max_attempts": 1})
    with mock_customer_profiles(clock=clock) as cp:
        cp.create_domain("shop")
        cp.rate_limit("CreateProfile", per_second=1, burst=2)
        client = boto3.client("customer-profiles", region_name="us-east-1", config=config)
        client.create_profile(DomainName="shop", FirstName="A")
        client.create_profile(DomainName="shop", FirstName="B")
        with pytest.raises(client.exceptions.ThrottlingException):
            client.create_profile(DomainName="shop", FirstName="C")
        clock.advance(1)
        client.create_profile(DomainName="shop", FirstName="C")


def test_readme_lists_exactly_the_implemented_operations():
    table = _section("Supported operations")
    listed = re.findall(r"^\| `(\w+)` \|", table, flags=re.MULTILINE)
    assert listed == sorted(OPERATIONS)


def test_readme_first_commands_are_what_ci_runs():
    commands = re.findall(r"^(python3 -m venv .*)$", README, flags=re.MULTILINE)
    assert commands[0].endswith("python -m customer_profiles_mock demo")
    ci = (Path(__file__).parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci


def test_readme_pytest_examples_run(pytester):
    blocks = _python_blocks(_section("pytest"))
    pytester.makepyfile(test_customers=blocks[0], test_billing=blocks[1])
    pytester.makeconftest(blocks[2])
    result = pytester.runpytest("-p", "no:randomly", "-p", "no:cacheprovider", "--strict-markers")
    result.assert_outcomes(passed=3)


def test_readme_snapshot_example_runs(pytester):
    pytester.makepyfile(test_search=_python_blocks(_section("pytest"))[3])
    result = pytester.runpytest("-p", "no:randomly", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)


def test_readme_seeding_lines_run_in_order(tmp_path):
    block = _python_blocks(_section("Seeding and inspecting state"))[0]
    seed = re.findall(r"```json\n(.*?)```", _section("Seeding and inspecting state"), re.DOTALL)[0]
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "seed.json").write_text(seed.replace('"shop"', '"shop2"', 1))
    namespace: dict[str, object] = {}
    with mock_customer_profiles() as cp, pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path)
        namespace["cp"] = cp
        for line in _statements(block):
            exec(compile(line, "README.md", "exec"), namespace)
            if "profile_keys" in line:
                ann = namespace["ann"]
                assert cp.profile_keys("shop", ann) == {  # type: ignore[arg-type]
                    "_email": ["ann@example.com"],
                    "_fullName": ["ann lee"],
                    "_ctrContactId": ["c-1"],
                }
        assert [o["ProfileId"] for o in cp.objects("shop")] == [namespace["ann"]]
        assert [d["ObjectTypeName"] for d in cp.dead_letters("shop")] == ["Order"]


def _statements(block: str) -> list[str]:
    """The block's statements, one by one (a statement may span several lines)."""
    import ast

    tree = ast.parse(block)
    lines = block.splitlines()
    return ["\n".join(lines[n.lineno - 1 : n.end_lineno]) for n in tree.body]


def test_readme_data_plane_example_runs():
    namespace: dict[str, object] = {}
    block = _python_blocks(_section("The profile data plane"))[0]
    exec(compile(block, "README.md", "exec"), namespace)
    assert namespace["merged"]["FirstName"] == "Ann"  # type: ignore[index]


def test_readme_unittest_example_runs():
    import unittest

    namespace: dict[str, object] = {}
    exec(compile(_python_blocks(_section("unittest"))[0], "README.md", "exec"), namespace)
    case = namespace["TestCustomers"]
    result = unittest.TestResult()
    unittest.defaultTestLoader.loadTestsFromTestCase(case).run(result)  # type: ignore[arg-type]
    assert result.wasSuccessful(), result.failures + result.errors
    assert result.testsRun == 2


def test_readme_async_example_runs():
    pytest.importorskip("aiobotocore")
    namespace: dict[str, object] = {}
    exec(
        compile(_python_blocks(_section("async (aiobotocore)"))[0], "README.md", "exec"), namespace
    )
    assert namespace["main"] is not None


def test_readme_moto_examples_run(pytester):
    (block,) = _python_blocks(_section("moto (`mock_aws`, moto server)"))
    pytester.makepyfile(test_with_moto=block)
    # In a subprocess: an in-process run would unload the moto it imports afterwards.
    result = pytester.runpytest_subprocess("-p", "no:randomly", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=3)


def test_readme_requests_example_runs():
    pytest.importorskip("responses")
    namespace: dict[str, object] = {}
    block = _python_blocks(_section("`requests` and other Python HTTP clients"))[0]
    exec(compile(block, "README.md", "exec"), namespace)
    assert namespace["cp"].calls[0].region == "us-east-1"  # type: ignore[attr-defined]


def test_readme_extras_table_lists_every_extra():
    table = README[README.index("| extra | brings | for |") :].split("\n\n", 1)[0]
    listed = re.findall(r"^\| `([\w-]+)` \|", table, flags=re.MULTILINE)
    extras = metadata("customer-profiles-mock").get_all("Provides-Extra") or []
    assert sorted(listed) == sorted(set(extras) - {"demo", "test"})


def test_readme_layout_lists_every_module():
    table = README[README.index("| module | owns |") :]
    listed = set(re.findall(r"^\| `([\w/]+\.py)` \|", table, flags=re.MULTILINE))
    package = Path(customer_profiles_mock.__file__).parent  # the tree's, or the venv's (.ci/run)
    assert listed == {path.relative_to(package).as_posix() for path in package.rglob("*.py")}


def test_readme_server_examples_run(pytester):
    other_process, fixture = _python_blocks(_section("A server for every other client"))
    namespace: dict[str, object] = {}
    try:
        exec(compile(other_process, "README.md", "exec"), namespace)
    finally:  # a failing line leaves no server behind
        process: Any = namespace.get("process")
        if process is not None and process.poll() is None:
            process.kill()
            process.communicate()
    pytester.makepyfile(test_cli_wrapper=fixture)
    result = pytester.runpytest("-p", "no:randomly", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def test_readme_server_section_lists_every_control_route():
    from customer_profiles_mock._app import FAULT_KINDS, HANDLE_METHODS

    section = _section("A server for every other client")
    routes = re.findall(r"^\| `(GET|POST|DELETE) (/_cpm/\S+)` \|", section, flags=re.MULTILINE)
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
    assert all(f"`{kind}`" in section for kind in FAULT_KINDS)
    assert all(f"`{method}`" in section for method in HANDLE_METHODS)
