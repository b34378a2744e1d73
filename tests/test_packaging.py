"""The built package: the wheel carries every file of the package, the sdist the suite too.

Each build runs setuptools' PEP 517 hooks in a subprocess on a copy of the source tree
(no build isolation: the test extra brings setuptools), as a frontend would: the sdist,
then the wheel from the unpacked sdist, and a wheel from the tree itself.

When .ci/run runs the suite against the wheel installed in a venv, it sets
CPM_TEST_INSTALLED to the source tree's path (conftest.py); the source tree cannot be
imported then, but its files can still be read and built.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from importlib.metadata import PackagePath, files
from pathlib import Path

import pytest

PACKAGE = "customer_profiles_mock"
DIST = "customer-profiles-mock"
INSTALLED_FROM = os.environ.get("CPM_TEST_INSTALLED")
SOURCE = Path(INSTALLED_FROM or Path(__file__).resolve().parents[1])

# What the sdist carries besides the package: the suite and what it reads (the docs, whose
# examples it runs; the scaffold, which it runs on a copy), CI, benchmarks.
SDIST_FOLDERS = ["tests", "ci", "benchmarks", ".ci", "docs", "scripts"]
SDIST_FILES = ["conftest.py", "README.md", "pyproject.toml", "MANIFEST.in", "mkdocs.yml"]
# Top-level names of a working tree that are never part of a build.
NOT_SOURCE = {".git", ".hypothesis", ".mypy_cache", ".pytest_cache", ".ruff_cache", "build", "dist"}


def _source_file(path: Path) -> bool:
    return path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"


def files_under(root: Path, folder: str) -> set[str]:
    """Every file under ``root/folder``, less bytecode, as paths relative to ``root``."""
    return {p.relative_to(root).as_posix() for p in (root / folder).rglob("*") if _source_file(p)}


def _copy_tree(destination: Path) -> Path:
    def ignore(folder: str, names: list[str]) -> set[str]:
        if Path(folder).resolve() != SOURCE.resolve():
            return set()  # bytecode stays: the builds must leave it out themselves
        return {
            name
            for name in names
            if name in NOT_SOURCE or name.startswith(".venv") or name.endswith(".egg-info")
        }

    shutil.copytree(SOURCE, destination, ignore=ignore)
    return destination


def _build(kind: str, tree: Path, out: Path) -> Path:
    """Run setuptools.build_meta.build_<kind> in ``tree``; the one file it made in ``out``."""
    out.mkdir()
    code = f"import sys; from setuptools import build_meta; build_meta.build_{kind}(sys.argv[1])"
    done = subprocess.run(
        [sys.executable, "-c", code, str(out)],
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, f"build_{kind} failed:\n{done.stdout}\n{done.stderr}"
    (built,) = out.iterdir()
    return built


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sdist, the wheel built from the unpacked sdist, and the wheel built from the tree."""
    import setuptools

    major = int(setuptools.__version__.split(".")[0])
    assert major >= 77, f"the build needs setuptools>=77 (test extra), not {setuptools.__version__}"
    root = tmp_path_factory.mktemp("builds")
    tree = _copy_tree(root / "tree")
    sdist = _build("sdist", tree, root / "sdist")
    with tarfile.open(sdist) as archive:
        archive.extractall(root / "unpacked", filter="data")
    (unpacked,) = (root / "unpacked").iterdir()
    return {
        "sdist": sdist,
        "wheel": _build("wheel", unpacked, root / "wheel"),
        "tree wheel": _build("wheel", tree, root / "tree-wheel"),
    }


def wheel_files(wheel: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(wheel) as archive:
        return {name: archive.read(name) for name in archive.namelist() if not name.endswith("/")}


def sdist_files(sdist: Path) -> set[str]:
    with tarfile.open(sdist) as archive:
        return {m.name.split("/", 1)[1] for m in archive.getmembers() if m.isfile()}


def test_wheel_carries_every_file_of_the_package_and_no_other(builds):
    in_wheel = {name for name in wheel_files(builds["wheel"]) if name.startswith(f"{PACKAGE}/")}
    in_tree = files_under(SOURCE, PACKAGE)
    assert sorted(in_tree - in_wheel) == [], "files of the package missing from the wheel"
    assert sorted(in_wheel - in_tree) == [], "files in the wheel that the tree does not have"


def test_wheel_carries_nothing_but_the_package_and_its_metadata(builds):
    top = {name.split("/")[0] for name in wheel_files(builds["wheel"])}
    info = {name for name in top if name.endswith(".dist-info")}
    assert len(info) == 1, info
    assert top - info == {PACKAGE}


def test_wheel_marks_the_package_as_typed(builds):
    assert f"{PACKAGE}/py.typed" in wheel_files(builds["wheel"])


def test_wheel_built_from_the_sdist_is_the_wheel_built_from_the_tree(builds):
    from_sdist, from_tree = wheel_files(builds["wheel"]), wheel_files(builds["tree wheel"])
    assert sorted(from_sdist) == sorted(from_tree)
    assert [name for name in from_sdist if from_sdist[name] != from_tree[name]] == []


def test_sdist_carries_the_package_the_suite_ci_and_benchmarks(builds):
    expected = {
        *SDIST_FILES,
        *(name for folder in [PACKAGE, *SDIST_FOLDERS] for name in files_under(SOURCE, folder)),
    }
    carried = sdist_files(builds["sdist"])
    generated = {"PKG-INFO", "setup.cfg"}  # and the egg-info folder setuptools writes
    carried = {
        n for n in carried if n not in generated and not n.startswith(f"{PACKAGE}.egg-info/")
    }
    assert sorted(expected - carried) == [], "files missing from the sdist"
    assert sorted(carried - expected) == [], "files in the sdist that the test does not expect"


def _installed_package_files() -> list[PackagePath]:
    return [
        f
        for f in files(DIST) or []
        if f.parts[0] == PACKAGE and "__pycache__" not in f.parts and f.suffix != ".pyc"
    ]


@pytest.mark.skipif(
    not INSTALLED_FROM,
    reason="runs only against the wheel installed in a venv (CPM_TEST_INSTALLED, set by "
    ".ci/run); here the package is imported from the source tree",
)
def test_installed_copy_holds_exactly_the_source_trees_package():
    installed = {f.as_posix(): f for f in _installed_package_files()}
    in_tree = files_under(SOURCE, PACKAGE)
    assert sorted(in_tree - set(installed)) == [], "files of the package missing from the venv"
    assert sorted(set(installed) - in_tree) == [], "files installed that the tree does not have"
    changed = [
        name for name, f in installed.items() if f.read_binary() != (SOURCE / name).read_bytes()
    ]
    assert changed == [], "installed files that differ from the tree's"
