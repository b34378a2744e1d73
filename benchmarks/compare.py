"""Figures (a) and (c) of bench.py for this tree and another commit, in one run.

    python benchmarks/compare.py REV            # e.g. the commit before a refactor
    python benchmarks/compare.py REV --runs 5   # more alternations

Each tree runs its own ``benchmarks/bench.py`` (``bench_floor`` and ``bench_cycle``, whose
signatures every release kept) in a fresh interpreter with that tree first on sys.path,
alternating old, new, old, new... so that drift on the machine hits both alike; the
medians over the runs are printed. REV is checked out in a temporary git worktree.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
SNIPPET = """
import sys
sys.path.insert(0, {tree!r}); sys.path.insert(0, {tree!r} + "/benchmarks")
import customer_profiles_mock, bench
assert customer_profiles_mock.__file__.startswith({tree!r}), customer_profiles_mock.__file__
bench.bench_floor(rounds={rounds}, n={n})
bench.bench_cycle(n={cycles})
"""
FIGURES = {
    "(a) mock us": r"\(a\).*?mock (\d+) us",
    "(a) floor us": r"\(a\).*?canned floor (\d+) us",
    "(a) ratio": r"\(a\).*?ratio ([\d.]+)x",
    "(c) ms": r"\(c\).*?: ([\d.]+) ms",
    "(c) start+stop us": r"\(c\).*?alone: ([\d.]+) us",
}


def run(tree: Path, rounds: int, n: int, cycles: int) -> dict[str, float]:
    code = SNIPPET.format(tree=str(tree), rounds=rounds, n=n, cycles=cycles)
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    return {name: float(re.search(pattern, out).group(1)) for name, pattern in FIGURES.items()}  # type: ignore[union-attr]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rev", help="the commit to compare this tree with")
    parser.add_argument("--runs", type=int, default=3, help="alternations (default 3)")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--cycles", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        old = Path(tmp) / "old"
        subprocess.run(
            ["git", "worktree", "add", "--detach", "-q", str(old), args.rev], cwd=HERE, check=True
        )
        try:
            results: dict[str, list[dict[str, float]]] = {"old": [], "new": []}
            for _ in range(args.runs):
                for label, tree in (("old", old), ("new", HERE)):
                    results[label].append(run(tree, args.rounds, args.n, args.cycles))
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(old)], cwd=HERE)
    print(f"medians of {args.runs} alternating runs; old = {args.rev}, new = this tree")
    for name in FIGURES:
        before = statistics.median(r[name] for r in results["old"])
        after = statistics.median(r[name] for r in results["new"])
        print(f"{name:>18}: old {before:10.3f}  new {after:10.3f}  ({after / before:.3f}x)")


if __name__ == "__main__":
    main()
