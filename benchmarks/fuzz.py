"""Fuzzing customer-profiles-mock with many more inputs than tests/test_fuzz.py sends.

    python benchmarks/fuzz.py                          # 20,000 raw requests, 5,000 boto3 calls
    python benchmarks/fuzz.py --raw 2000 --botocore 500
    python benchmarks/fuzz.py --seed 7                 # another (random) run than the fixed one

The inputs come from the strategies in tests/test_fuzz.py (malformed and non-object
JSON bodies, wrongly typed members, deep nesting, huge values, odd URI labels and
querystrings, unknown routes, malformed ``amz-sdk-request`` headers); each is sent to a
freshly seeded mock, raw through ``Service.handle`` or through a boto3 client with
client-side validation off. The huge inputs are a fixed list, each sent once at full
size (a million ids, megabyte strings). Prints the inputs tried per category, every
distinct exception (type, where in customer_profiles_mock it was raised, first
traceback), every answer that is not the modelled 4xx or a 2xx fitting the model, and
state changes after a 4xx.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import test_fuzz as fz  # noqa: E402
from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402

NON_4XX = {"accepted-input-breaking-model", "not-2xx-or-4xx", "unmodelled-error"}
STATE = {"state-changed-after-4xx"}


class Tally:
    """Outcomes of one kind of run (raw or botocore), by category."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.counts: dict[str, Counter[str]] = defaultdict(Counter)
        self.seconds: Counter[str] = Counter()
        # (exception type, raise site, entry) -> [count, categories, first outcome]
        self.exceptions: dict[tuple[str, str, str], list[Any]] = {}
        # (problem kind, operation, category) -> [count, first outcome, first detail]
        self.problems: dict[tuple[str, str, str], list[Any]] = {}

    def add(self, category: str, outcome: fz.Outcome, seconds: float) -> None:
        counts = self.counts[category]
        self.seconds[category] += seconds
        counts["tried"] += 1
        if outcome.unsupported:
            counts["unsupported"] += 1
        elif outcome.rejected_by_client:
            counts["not sent (botocore)"] += 1
        elif outcome.exception is not None:
            counts["exception"] += 1
            key = exception_key(outcome.exception)
            entry = self.exceptions.setdefault(key, [0, Counter(), outcome, Counter()])
            entry[0] += 1
            entry[1][category] += 1
            entry[3][fz.short(str(outcome.exception), 90)] += 1
        elif outcome.status is not None:
            counts[f"{outcome.status // 100}xx"] += 1
        if outcome.problems:
            counts["wrong answer"] += 1
        operation = getattr(outcome.case, "operation", None) or "-"
        for kind, detail in outcome.problems:
            entry = self.problems.setdefault((kind, operation, category), [0, outcome, detail])
            entry[0] += 1

    def report(self) -> None:
        print(f"\n=== {self.title} ===")
        columns = ["tried", "2xx", "4xx", "5xx", "unsupported", "not sent (botocore)",
                   "exception", "wrong answer"]  # fmt: skip
        print(f"{'category':<16}" + "".join(f"{c:>21}" for c in columns) + f"{'seconds':>10}")
        total: Counter[str] = Counter()
        for category, counts in self.counts.items():
            total.update(counts)
            row = "".join(f"{counts[c]:>21,}" for c in columns)
            print(f"{category:<16}{row}{self.seconds[category]:>10.1f}")
        row = "".join(f"{total[c]:>21,}" for c in columns)
        print(f"{'TOTAL':<16}{row}{sum(self.seconds.values()):>10.1f}")

        print(f"\n--- {self.title}: exceptions that escaped ({len(self.exceptions)} distinct) ---")
        for i, ((name, site, entry), (count, categories, first, messages)) in enumerate(
            sorted(self.exceptions.items(), key=lambda kv: -kv[1][0]), 1
        ):
            print(f"\n[{i}] {name} raised at {site} (entered at {entry}): {count:,} inputs")
            print(f"    categories: {dict(categories)}")
            print(f"    first input: {first.case!r}")
            print(f"    messages ({len(messages)} distinct, most common first):")
            for message, n in messages.most_common(6):
                print(f"      {n:>6,} x {message}")
            print(f"    package frames: {fz.raised_where(first.exception)}")
            print("    first traceback (recursion trimmed):")
            for line in trimmed_traceback(first.exception):
                print(f"      {line}")

        sections = [
            ("answers that are not a modelled 4xx (or not a 400 where the input breaks "
             "the model)", lambda k: k in NON_4XX or k == "wrong-status-for-invalid-input"),
            ("state changes after a 4xx", lambda k: k in STATE),
            ("other wrong answers (error bodies, 2xx bodies, stored state)",
             lambda k: k not in NON_4XX and k not in STATE
             and k != "wrong-status-for-invalid-input"),
        ]  # fmt: skip
        for heading, wanted in sections:
            rows = [(key, v) for key, v in self.problems.items() if wanted(key[0])]
            print(f"\n--- {self.title}: {heading} ({len(rows)} distinct) ---")
            for (kind, operation, category), (count, first, detail) in sorted(
                rows, key=lambda kv: (kv[0][0], kv[0][2], -kv[1][0])
            ):
                print(f"  {kind} / {operation} / {category}: {count:,} inputs")
                print(f"      {fz.short(detail, 220)}")
                print(f"      first input: {fz.short(first.case, 260)}")


def exception_key(exc: BaseException) -> tuple[str, str, str]:
    """(type, where it was raised, where the package called into the failing code).

    For a recursion the site is the recursing function (not its line, which differs for
    a list and a dict); where the innermost frame lies outside the package (``copy``,
    ``json``) it names that frame and the package frame that called it."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = fz.package_frames(exc)
    if not ours:
        where = _where(frames[-1]) + " (outside the package)"
        return type(exc).__name__, where, where
    seen = Counter((f.filename, f.lineno) for f in frames)
    innermost = frames[-1]
    if isinstance(exc, RecursionError):  # the function that recursed, whatever its line
        calls = Counter((f.filename, f.name) for f in frames if not f.name.startswith("<"))
        (filename, function), _ = calls.most_common(1)[0]
        site = f"{_file(traceback.FrameSummary(filename, 0, function))} {function}() (recursing)"
    else:
        site = _where(innermost)
    if not innermost.filename.startswith(fz.PACKAGE_DIR):
        site += f" called from {_where(ours[-1])}"
    entry = next((f for f in reversed(ours) if seen[(f.filename, f.lineno)] == 1), ours[0])
    return type(exc).__name__, site, _where(entry)


def _file(frame: traceback.FrameSummary) -> str:
    path = Path(frame.filename)
    if fz.PACKAGE_DIR in frame.filename:
        return f"customer_profiles_mock/{path.name}"
    return path.name


def _where(frame: traceback.FrameSummary) -> str:
    return f"{_file(frame)}:{frame.lineno} {frame.name}()"


def trimmed_traceback(exc: BaseException, keep: int = 2) -> list[str]:
    """The traceback from the first package frame on, each repeated frame shown at most
    ``keep`` times, plus the last frames."""
    frames = traceback.extract_tb(exc.__traceback__)
    start = next((i for i, f in enumerate(frames) if f.filename.startswith(fz.PACKAGE_DIR)), 0)
    frames = frames[max(start - 2, 0) :]
    seen: Counter[tuple[str, int | None]] = Counter()
    lines, skipped = [], 0
    for f in frames[:-3]:
        seen[(f.filename, f.lineno)] += 1
        if seen[(f.filename, f.lineno)] > keep:
            skipped += 1
            continue
        lines.append(f"{f.filename}:{f.lineno} in {f.name}: {f.line}")
    if skipped:
        lines.append(f"... {skipped} more recursive frames ...")
    lines += [f"{f.filename}:{f.lineno} in {f.name}: {f.line}" for f in frames[-3:]]
    lines.append(f"{type(exc).__name__}: {fz.short(str(exc), 200)}")
    return lines


def run_strategy(
    strategy: Any, count: int, run: Callable[[Any], fz.Outcome], tally: Tally, category: str,
    random_seed: int | None,
) -> None:  # fmt: skip
    """``count`` inputs drawn from ``strategy`` (fewer if it has no more distinct ones)."""
    if count <= 0:
        return

    def one(case: Any) -> None:
        started = time.perf_counter()
        outcome = run(case)
        tally.add(category, outcome, time.perf_counter() - started)

    config = settings(
        max_examples=count,
        deadline=None,
        database=None,
        derandomize=random_seed is None,
        phases=(Phase.generate,),
        suppress_health_check=list(HealthCheck),
    )
    test = config(given(case=strategy)(one))
    if random_seed is not None:
        test = seed(random_seed)(test)
    test()


def run_shares(
    strategies: dict[str, Any], total: int, run: Callable[[Any], fz.Outcome], tally: Tally,
    random_seed: int | None,
) -> None:  # fmt: skip
    """``total`` inputs split evenly between the categories; what a category with few
    distinct inputs (malformed JSON bodies) leaves goes to the ones after it."""
    left = max(total, 0)
    for i, (category, strategy) in enumerate(strategies.items()):
        before = tally.counts[category]["tried"]
        run_strategy(strategy, left // (len(strategies) - i), run, tally, category, random_seed)
        left -= tally.counts[category]["tried"] - before


def run_fixed(
    cases: Iterable[Any], run: Callable[[Any], fz.Outcome], tally: Tally, category: str
) -> None:
    for case in cases:
        started = time.perf_counter()
        outcome = run(case)
        tally.add(category, outcome, time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--raw", type=int, default=20_000, help="raw requests (default 20,000)")
    parser.add_argument("--botocore", type=int, default=5_000, help="boto3 calls (default 5,000)")
    parser.add_argument("--seed", type=int, default=None, help="random run with this seed")
    parser.add_argument("--no-huge", action="store_true", help="skip the full-size huge inputs")
    args = parser.parse_args()
    started = time.perf_counter()

    raw = Tally("raw requests through Service.handle")
    huge = [] if args.no_huge else fz.huge_cases_list(full=True)
    run_fixed(huge, fz.run_case, raw, "huge")
    drawn = {k: v for k, v in fz.RAW_STRATEGIES.items() if k != "huge"}
    run_shares(drawn, args.raw - len(huge), fz.run_case, raw, args.seed)
    raw.report()

    api = Tally("boto3 calls (parameter_validation=False)")
    api_huge = [] if args.no_huge else fz.api_huge_cases_list(full=True)
    run_fixed(api_huge, fz.run_api_case, api, "huge")
    drawn = {k: v for k, v in fz.API_STRATEGIES.items() if k != "huge"}
    run_shares(drawn, args.botocore - len(api_huge), fz.run_api_case, api, args.seed)
    api.report()
    print(f"\n{time.perf_counter() - started:.0f} s in all")


if __name__ == "__main__":
    main()
