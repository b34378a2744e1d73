"""Scaffold an operation from the botocore model, as moto's scripts/scaffold.py does.

    python scripts/new_operation.py CreateEventTrigger [--area event_triggers]

It writes into the operation's feature package only, making the package when the area is
new (``customer_profiles_mock/features/<area>/{__init__,models,operations}.py``), and
appends a test to ``tests/test_<area>.py``. Nothing shared is touched: feature packages
are found by folder, and so are their domain parts and ARN kinds.

- A Create/Get/Update/Delete/List of a named resource inside a domain (the model's path
  is ``/domains/{DomainName}/<kind>[/{Name}]``) gets a working handler over the area's
  generic ``ResourceTable``: conflict and not-found errors, tags, timestamps, paging and
  snapshots come with it. Read the generated code, then add what the documentation says
  (validation across resources, computed members) and its tests.
- Any other operation gets a handler that raises ``NotImplementedError`` naming it, with
  the model's input and output members listed, and a failing test: write both.
"""

from __future__ import annotations

import argparse
import difflib
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import botocore.session

ROOT = Path(__file__).resolve().parent.parent
VERBS = ("Create", "Get", "Update", "Delete", "List", "Put")
RESOURCE_PATH = re.compile(r"^/domains/\{DomainName\}/([a-z-]+)(?:/\{(\w+)\})?$")


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


class Plan:
    """What to write for one operation, read off the model."""

    def __init__(self, operation: str, area: str | None) -> None:
        model = botocore.session.get_session().get_service_model("customer-profiles")
        if operation not in model.operation_names:
            close = difflib.get_close_matches(operation, model.operation_names, n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise SystemExit(
                f"new_operation.py: the installed botocore has no {operation!r}.{hint}"
            )
        self.operation = operation
        self.op = model.operation_model(operation)
        self.method = self.op.http["method"]
        self.uri = self.op.http["requestUri"]
        found = RESOURCE_PATH.match(self.uri)
        self.segment = found.group(1) if found else None
        self.name_label = found.group(2) if found else None
        self.verb = next((v for v in VERBS if operation.startswith(v)), None)
        self.area = area or (self.segment or snake(operation)).replace("-", "_")
        self.crud = self.segment is not None and self.verb is not None
        if self.crud and self.verb == "List":
            self.crud = self.name_label is None
        elif self.crud:
            self.crud = self.name_label is not None

    @property
    def inputs(self) -> list[str]:
        shape = self.op.input_shape
        return list(shape.members) if shape is not None else []

    @property
    def outputs(self) -> list[str]:
        shape = self.op.output_shape
        return list(shape.members) if shape is not None else []

    def label(self) -> str:
        """``event-triggers`` -> ``Event trigger`` (its name in messages)."""
        words = (self.segment or self.area).replace("_", "-").split("-")
        words[-1] = words[-1][:-1] if words[-1].endswith("s") else words[-1]
        return " ".join(words).capitalize()


def package_files(plan: Plan) -> dict[str, str]:
    """The area's files when the area is new."""
    title = plan.area.replace("_", " ")
    models = f'"""{title.capitalize()}: the state this area keeps in each domain."""\n'
    if plan.crud:
        models = (
            f'"""{title.capitalize()} in the generic resource table, and how its operations '
            'show one."""\n\n'
            "from __future__ import annotations\n\n"
            "from typing import Any\n\n"
            "from customer_profiles_mock.store.resource import (\n"
            "    Resource,\n    ResourceKind,\n    resource_table,\n    stamped,\n)\n"
            "from customer_profiles_mock.wire.model import output_members\n\n"
            f"# Every domain's {title}: ``domain.part(TABLE)``. [INFERRED] ARN\n"
            f"# ``arn:aws:profile:REGION:ACCOUNT:domains/D/{plan.segment}/NAME``.\n"
            f'TABLE = resource_table("{plan.area}", ResourceKind("{plan.label()}", '
            f'"{plan.segment}"))\n'
            "# [INFERRED] Not documented: the model's largest MaxResults.\n"
            "LIST_PAGE = 100\n"
            f'NAME = "{plan.name_label or "Name"}"\n'
            "# What a request gives that is not stored as a member.\n"
            'NOT_STORED = frozenset({"DomainName", NAME, "Tags", "NextToken", "MaxResults"})\n\n\n'
            "def given(params: dict[str, Any]) -> dict[str, Any]:\n"
            '    """The members a request gives, to store as they are."""\n'
            "    return {k: v for k, v in params.items() if k not in NOT_STORED}\n\n\n"
            "def shown(resource: Resource, operation: str, shape: Any = None) -> dict[str, Any]:\n"
            '    """The resource as ``operation`` answers it (or ``shape``, a list\'s item\n'
            '    shape): the members that shape has, its ARN where it has one."""\n'
            "    out = stamped({NAME: resource.name, **resource.members}, resource)\n"
            "    wanted = output_members(operation, shape)\n"
            "    for member in wanted:\n"
            '        if member.endswith("Arn") and member not in out:\n'
            "            out[member] = resource.arn\n"
            "    return {k: v for k, v in out.items() if k in wanted}\n"
        )
    return {
        "__init__.py": f'"""{title.capitalize()}."""\n',
        "models.py": models,
        "operations.py": (
            f'"""The {title} operations."""\n\n'
            "from __future__ import annotations\n\n"
            "from typing import Any\n\n"
            "from customer_profiles_mock.core.operations import Context, operation\n"
        ),
    }


def imports(plan: Plan) -> list[str]:
    """The import lines the handler needs."""
    if not plan.crud:
        return []
    lines = [
        f"from customer_profiles_mock.features.{plan.area} import models",
        f"from customer_profiles_mock.features.{plan.area}.models import TABLE",
    ]
    if plan.verb == "List":
        lines += [
            "from customer_profiles_mock.wire.model import output_shape",
            "from customer_profiles_mock.wire.pagination import fingerprint, items_page",
        ]
    return lines


def with_imports(source: str, lines: list[str]) -> str:
    """``source`` with each of ``lines`` it lacks added below its first import."""
    missing = [line for line in lines if line not in source.splitlines()]
    if not missing:
        return source
    anchor = "from __future__ import annotations\n"
    return source.replace(anchor, anchor + "\n" + "\n".join(missing) + "\n", 1)


def handler(plan: Plan) -> str:
    """The handler's source."""
    name = snake(plan.operation)
    head = (
        f'\n\n@operation("{plan.operation}")\n'
        f"def {name}(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:\n"
    )
    if not plan.crud:
        return head + (
            f'    """{plan.method} {plan.uri}\n\n'
            f"    Input: {', '.join(plan.inputs) or '(none)'}.\n"
            f"    Output: {', '.join(plan.outputs) or '(none)'}.\n"
            '    """\n'
            f'    raise NotImplementedError("{plan.operation}: write its handler")\n'
        )
    lines = [_docstring(plan), '    domain = ctx.region.domains.get(params["DomainName"])']
    lines += {
        "Create": [
            "    table = domain.part(TABLE)",
            '    given, tags = models.given(params), params.get("Tags") or {}',
            "    found = table.create(params[models.NAME], given, tags)",
        ],
        "Put": [
            "    table = domain.part(TABLE)",
            '    given, tags = models.given(params), params.get("Tags") or {}',
            "    if table.find(params[models.NAME]) is None:",
            "        found = table.create(params[models.NAME], given, tags)",
            "    else:",
            "        found = table.update(params[models.NAME], given)",
        ],
        "Get": ["    found = domain.part(TABLE).get(params[models.NAME])"],
        "Update": [
            "    found = domain.part(TABLE).update(params[models.NAME], models.given(params))"
        ],
        "Delete": ["    found = domain.part(TABLE).delete(params[models.NAME])"],
        "List": [
            f'    query = fingerprint("{plan.operation}", params["DomainName"])',
            "    page, token = domain.part(TABLE).page(params, query, models.LIST_PAGE)",
        ],
    }[plan.verb or ""]
    if plan.verb == "List":
        lines += _list_answer(plan)
    elif plan.verb == "Delete" and "Message" in plan.outputs:
        lines += [
            "    # [INFERRED] wording, as DeleteProfileObjectType's",
            "    label = domain.part(TABLE).kind.label",
            '    return {"Message": f"{label} {found.name} was deleted."}',
        ]
    elif plan.verb == "Delete":  # nothing of it is answered: no name to keep
        lines[-1] = lines[-1].replace("    found = ", "    ", 1)
        lines += ["    return {}"]
    else:
        lines += [f'    return models.shown(found, "{plan.operation}")']
    return head + "\n".join(lines) + "\n"


def _docstring(plan: Plan) -> str:
    """What the generated handler does, as the operations reference will show it: the
    generic table's behaviour, marked [INFERRED] where AWS documents none. Edit it with
    what the documentation says."""
    label = plan.label()
    text = {
        "Create": f"Stores the {label.lower()} as given. An existing name is 400 `{label} with "
        "name NAME already exists` [INFERRED: AWS's wording for the resources its "
        "CloudFormation handlers match].",
        "Put": f"Creates the {label.lower()}, or updates the one of that name (omitted "
        "members kept) [INFERRED].",
        "Get": f"The {label.lower()} as stored; an unknown name is 404 `{label} NAME does not "
        "exist` [INFERRED].",
        "Update": "Omitted members are kept [INFERRED]; `LastUpdatedAt` moves; an unknown name "
        "is 404.",
        "Delete": "Removes it"
        + (
            " and answers `" + label + " NAME was deleted.` [INFERRED: the text]"
            if "Message" in plan.outputs
            else ""
        )
        + "; an unknown name is 404.",
        "List": "Sorted by name; `MaxResults` (default 100 [INFERRED]) / `NextToken`.",
    }[plan.verb or ""]
    wrapped = textwrap.fill(text, width=88, initial_indent='    """', subsequent_indent="    ")
    return wrapped + ('"""' if "\n" not in wrapped else '\n    """')


def _list_answer(plan: Plan) -> list[str]:
    items = next(m for m in plan.outputs if m != "NextToken")
    lines = [
        f'    item = output_shape("{plan.operation}").members["{items}"].member',
        f'    listed = [models.shown(found, "{plan.operation}", item) for found in page]',
    ]
    if items == "Items":
        return [*lines, "    return items_page(listed, token)"]
    return [
        *lines,
        f'    out: dict[str, Any] = {{"{items}": listed}}',
        "    if token:",
        '        out["NextToken"] = token',
        "    return out",
    ]


def test(plan: Plan, new_file: bool) -> str:
    """The test's source: the call through a real boto3 client, answered 200 with every
    member the output shape requires (and the resource's name, for a resource). For a
    stub, it fails until the handler is written."""
    create = ""
    creator = _creator(plan)
    if plan.crud and plan.verb in ("Get", "Update", "Delete", "List") and creator is not None:
        arguments = _arguments(plan.op.service_model.operation_model(creator))
        create = f'    cp.seed("{creator}", {arguments})\n'
    head = (
        f'"""The {plan.area.replace("_", " ")} operations through real boto3 clients."""\n\n'
        "from __future__ import annotations\n\n"
        "import boto3\n\n"
        'REGION = "us-east-1"\n'
        if new_file
        else ""
    )
    out_required = list(plan.op.output_shape.required_members) if plan.op.output_shape else []
    checks = f"    assert {set(out_required)!r} <= set(out)\n" if out_required else ""
    if plan.name_label and plan.name_label in plan.outputs:
        checks += f'    assert out["{plan.name_label}"] == "name"\n'
    if plan.crud and plan.verb == "List" and create:
        items = next(m for m in plan.outputs if m != "NextToken")
        label = (_resource_label(creator) if creator else None) or "Name"
        checks += f'    assert [item["{label}"] for item in out["{items}"]] == ["name"]\n'
    if plan.crud and plan.verb == "Delete":
        checks += (
            "    with pytest.raises(client.exceptions.ResourceNotFoundException):\n"
            f"        client.{snake(plan.operation)}({_arguments(plan.op)})\n"
        )
    return head + (
        f"\n\ndef test_{snake(plan.operation)}_answers_its_output(cp):\n"
        '    cp.create_domain("shop")\n'
        f"{create}"
        '    client = boto3.client("customer-profiles", region_name=REGION)\n'
        f"    out = client.{snake(plan.operation)}({_arguments(plan.op)})\n"
        '    assert out["ResponseMetadata"]["HTTPStatusCode"] == 200\n'
        f"{checks}"
    )


def _creator(plan: Plan) -> str | None:
    """The operation that makes the same resource (its Create, else its Put), when the
    model has one."""
    noun = plan.operation[len(plan.verb or "") :]
    names = plan.op.service_model.operation_names
    nouns = [noun, noun[:-1]] if noun.endswith("s") else [noun]
    for candidate in (f"{verb}{name}" for name in nouns for verb in ("Create", "Put")):
        if candidate in names:
            return candidate
    return None


def _resource_label(operation: str) -> str | None:
    model = botocore.session.get_session().get_service_model("customer-profiles")
    found = RESOURCE_PATH.match(model.operation_model(operation).http["requestUri"])
    return found.group(2) if found else None


def _arguments(op: Any) -> str:
    """The operation's required members as keyword arguments the model accepts."""
    shape = op.input_shape
    required = {}
    for member in shape.required_members if shape is not None else []:
        required[member] = "shop" if member == "DomainName" else _placeholder(shape.members[member])
    return ", ".join(f"{k}={v!r}" for k, v in required.items())


def _placeholder(shape: Any) -> Any:
    """A value the model accepts, for the generated test (edit it to mean something)."""
    if shape.type_name == "string":
        enum = shape.metadata.get("enum")
        return enum[0] if enum else "name"
    if shape.type_name in ("integer", "long"):
        return int(shape.metadata.get("min", 1))
    if shape.type_name == "boolean":
        return True
    if shape.type_name == "list":
        return [_placeholder(shape.member)]
    if shape.type_name == "map":
        return {"key": _placeholder(shape.value)}
    if shape.type_name == "structure":
        return {m: _placeholder(shape.members[m]) for m in shape.required_members}
    return "value"


def tidy(paths: list[Path]) -> None:
    """ruff's fixes and format on what was written, where ruff is installed."""
    names = [str(p) for p in paths]
    for command in (["format", "--quiet"], ["check", "--fix", "--quiet"], ["format", "--quiet"]):
        subprocess.run([sys.executable, "-m", "ruff", *command, *names], check=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("operation", help="the model's name, e.g. CreateEventTrigger")
    parser.add_argument("--area", help="the feature package (default: from the model's path)")
    parser.add_argument("--root", type=Path, default=ROOT, help="the repository to write in")
    args = parser.parse_args(argv)
    plan = Plan(args.operation, args.area)
    package = args.root / "customer_profiles_mock" / "features" / plan.area
    written = []
    if not package.exists():
        package.mkdir(parents=True)
        for name, text in package_files(plan).items():
            (package / name).write_text(text, encoding="utf-8")
            written.append(package / name)
    operations = package / "operations.py"
    source = operations.read_text(encoding="utf-8")
    if f'@operation("{plan.operation}")' in source:
        raise SystemExit(
            f"new_operation.py: {plan.operation} already has a handler in {operations}"
        )
    operations.write_text(with_imports(source, imports(plan)) + handler(plan), encoding="utf-8")
    written.append(operations)
    test_file = args.root / "tests" / f"test_{plan.area}.py"
    new_file = not test_file.exists()
    source = test_file.read_text(encoding="utf-8") if not new_file else ""
    source += test(plan, new_file)
    needs = ["import boto3", *(["import pytest"] if "pytest." in source else [])]
    test_file.write_text(with_imports(source, needs), encoding="utf-8")
    written.append(test_file)
    tidy(list(dict.fromkeys(written)))
    kind = "a handler over the area's ResourceTable" if plan.crud else "a stub to write"
    print(f"{plan.operation}: {kind}; wrote " + ", ".join(str(p) for p in dict.fromkeys(written)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
