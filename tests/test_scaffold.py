"""scripts/new_operation.py: an operation added from the model touches only its feature
package and its test, and a resource's Create/Get/Update/Delete/List work as written."""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import customer_profiles_mock
from customer_profiles_mock.core.operations import OPERATIONS
from customer_profiles_mock.wire.model import operation_names

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "new_operation.py"
# The package under test: the tree's, or the installed copy when the suite runs against it.
PACKAGE = Path(customer_profiles_mock.__file__).resolve().parent
TRIGGERS = [
    "CreateEventTrigger",
    "GetEventTrigger",
    "UpdateEventTrigger",
    "DeleteEventTrigger",
    "ListEventTriggers",
]

pytestmark = [
    pytest.mark.skipif(not SCRIPT.exists(), reason="the scripts folder is not beside the tests"),
    pytest.mark.skipif(
        any(name in OPERATIONS for name in [*TRIGGERS, "GetMatches"]),
        reason="the operations this test scaffolds are served already: pick others",
    ),
    pytest.mark.skipif(
        not {*TRIGGERS, "GetMatches"} <= set(operation_names()),
        reason="the installed botocore's model lacks an operation this test scaffolds",
    ),
]


def changed_files(before: Path, after: Path) -> list[str]:
    """Files added or changed under ``after`` compared with ``before`` (relative paths)."""
    changed = []
    for path in sorted(after.rglob("*")):
        if path.is_dir() or {"__pycache__", ".pytest_cache", ".ruff_cache"} & set(path.parts):
            continue
        relative = path.relative_to(after)
        old = before / relative
        if not old.exists() or not filecmp.cmp(old, path, shallow=False):
            changed.append(relative.as_posix())
    return changed


@pytest.fixture
def repo_copy(tmp_path: Path) -> tuple[Path, Path]:
    """Two copies of the package, the suite's conftest, pyproject, the architecture page
    and the suite's layout and fuzz tests (which must hold for a new area as they are):
    one to change."""
    copies = []
    for name in ("before", "after"):
        root = tmp_path / name
        shutil.copytree(
            PACKAGE,
            root / "customer_profiles_mock",
            ignore=shutil.ignore_patterns("__pycache__"),
        )
        (root / "tests").mkdir()
        for test in ("test_layout.py", "test_fuzz.py"):
            shutil.copy(REPO / "tests" / test, root / "tests" / test)
        (root / "docs" / "contributing").mkdir(parents=True)
        page = Path("docs") / "contributing" / "architecture.md"
        shutil.copy(REPO / page, root / page)
        shutil.copy(REPO / "conftest.py", root / "conftest.py")
        shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
        copies.append(root)
    return copies[0], copies[1]


def scaffold(root: Path, operation: str) -> None:
    subprocess.run(
        [sys.executable, str(SCRIPT), operation, "--root", str(root)],
        check=True,
        capture_output=True,
    )


def run_tests(root: Path, test_file: str) -> subprocess.CompletedProcess[str]:
    # The copy is the package under test there, not an installed one: the suite's
    # guard for runs against an installed wheel (CPM_TEST_INSTALLED) does not apply.
    env = {k: v for k, v in os.environ.items() if k != "CPM_TEST_INSTALLED"}
    env["PYTHONPATH"] = str(root)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider",
         "-p", "no:xdist", test_file],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )  # fmt: skip


def test_scaffolded_resource_operations_touch_only_their_package_and_test(repo_copy):
    before, after = repo_copy
    for operation in TRIGGERS:
        scaffold(after, operation)
    assert changed_files(before, after) == [
        "customer_profiles_mock/features/event_triggers/__init__.py",
        "customer_profiles_mock/features/event_triggers/models.py",
        "customer_profiles_mock/features/event_triggers/operations.py",
        "tests/test_event_triggers.py",
    ]


def test_scaffolded_resource_operations_pass_their_tests_and_the_suites_checks(repo_copy):
    # Their own tests through boto3, the layout checks (docstrings, module list, no
    # cycles) and the fuzz tests, which seed and mutate the new resource on their own.
    _, after = repo_copy
    for operation in TRIGGERS:
        scaffold(after, operation)
    result = run_tests(after, "tests")
    assert result.returncode == 0, result.stdout + result.stderr
    own = run_tests(after, "tests/test_event_triggers.py")
    assert "5 passed" in own.stdout, own.stdout


def test_scaffolded_stub_fails_its_test_until_written(repo_copy):
    before, after = repo_copy
    scaffold(after, "GetMatches")
    assert changed_files(before, after) == [
        "customer_profiles_mock/features/matches/__init__.py",
        "customer_profiles_mock/features/matches/models.py",
        "customer_profiles_mock/features/matches/operations.py",
        "tests/test_matches.py",
    ]
    result = run_tests(after, "tests/test_matches.py")
    assert result.returncode == 1
    assert "NotImplementedError: GetMatches: write its handler" in result.stdout


def test_scaffolding_an_operation_twice_is_refused(repo_copy):
    _, after = repo_copy
    scaffold(after, "CreateEventTrigger")
    again = subprocess.run(
        [sys.executable, str(SCRIPT), "CreateEventTrigger", "--root", str(after)],
        capture_output=True,
        text=True,
    )
    assert again.returncode == 1
    assert "CreateEventTrigger already has a handler in" in again.stderr


@pytest.mark.skipif(
    "PutDomainObjectType" not in operation_names(),
    reason="the installed botocore's model has no domain object types (1.40.15)",
)
def test_scaffolded_put_made_resource_is_made_by_its_put(repo_copy):
    # A resource with no Create (PUT creates or replaces it): the Get, Delete and List
    # tests seed it through the Put. The model's only such resource is served
    # (features/domain_object_types/): the copy is scaffolded without that area.
    _, after = repo_copy
    shutil.rmtree(after / "customer_profiles_mock" / "features" / "domain_object_types")
    for operation in ("PutDomainObjectType", "GetDomainObjectType", "DeleteDomainObjectType"):
        scaffold(after, operation)
    scaffold(after, "ListDomainObjectTypes")
    result = run_tests(after, "tests/test_domain_object_types.py")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 passed" in result.stdout


def test_scaffolded_delete_answering_nothing_is_lint_clean(repo_copy):
    # DeleteCalculatedAttributeDefinition answers {} (in every botocore CI runs): its
    # handler keeps no name it does not use (it assigned `found`, ruff's F841). The area
    # is served (features/calculated_attributes/): the copy is scaffolded without it.
    _, after = repo_copy
    shutil.rmtree(after / "customer_profiles_mock" / "features" / "calculated_attributes")
    for operation in ("CreateCalculatedAttributeDefinition", "DeleteCalculatedAttributeDefinition"):
        scaffold(after, operation)
    area = after / "customer_profiles_mock" / "features" / "calculated_attributes"
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", str(area)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
