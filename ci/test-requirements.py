"""Print the requirements of the installed package's `test` extra, one a line, for
`pip install -r`, adjusted to a CI constraints file (argv[1]).

pyproject's test extra asks for aiobotocore>=3.10, and every aiobotocore pins botocore
to a narrow range (3.10.0: >=1.43.115,<1.43.118), so `.[test]` cannot be installed
under ci/oldest.txt or ci/newest.txt. Here aiobotocore's requirement becomes a bare
`aiobotocore` (the constraints file picks the version) when the constraints file pins
one, and is left out when it does not (no aiobotocore supports that botocore).
Reads the metadata of the editable install, so it needs no TOML parser (Python 3.10).
"""

from __future__ import annotations

import re
import sys
from importlib.metadata import requires

DIST = "customer-profiles-mock"


def name(requirement: str) -> str:
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    assert match, requirement
    return re.sub(r"[-_.]+", "-", match.group(1)).lower()


def main(constraints: str) -> None:
    with open(constraints, encoding="utf-8") as f:
        pinned = {name(line) for line in f if line.strip() and not line.lstrip().startswith("#")}
    for requirement in requires(DIST) or []:
        spec, _, marker = requirement.partition(";")
        if not re.search(r"""extra\s*==\s*["']test["']""", marker):
            continue
        if name(spec) == "aiobotocore":
            if "aiobotocore" in pinned:
                print("aiobotocore")
            continue
        print(spec.strip())


if __name__ == "__main__":
    main(sys.argv[1])
