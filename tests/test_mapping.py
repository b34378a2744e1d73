"""Field extraction: plain `_source` paths and Handlebars templates, compiled once."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from customer_profiles_mock.features.object_types.mapping import (
    SourceError,
    check_source,
    compile_source,
    extract,
)

OBJ: dict[str, Any] = {
    "FirstName": "Ann",
    "MiddleName": "",
    "LastName": "Lee",
    "Age": 12,
    "Score": 1.5,
    "Vip": True,
    "Banned": False,
    "Nothing": None,
    "Zero": 0,
    "Address": {"City": "Paris", "Zip": "75001"},
    "Items": [{"Sku": "A1", "Qty": 2}, {"Sku": "B2", "Qty": 1}],
    "Tags": ["red", "blue"],
    "Empty": [],
    "NoKeys": {},
    "first name": "Spaced",
    "0": "zero key",
}


def render(source: str, obj: Any = OBJ) -> str:
    return compile_source(source)(obj)


def error(source: str) -> str:
    with pytest.raises(SourceError) as raised:
        compile_source(source)
    assert check_source(source) == str(raised.value)
    return str(raised.value)


# -- plain paths --------------------------------------------------------------------------


def test_plain_path_reads_a_top_level_string() -> None:
    assert render("_source.FirstName") == "Ann"


def test_plain_path_reads_nested_objects() -> None:
    assert render("_source.Address.City") == "Paris"


def test_plain_path_indexes_arrays_with_a_digit_segment() -> None:
    assert render("_source.Items.1.Sku") == "B2"


def test_plain_path_indexes_arrays_with_brackets() -> None:
    assert render("_source.Items[0].Sku") == "A1"
    assert render("_source.Items.[0].Sku") == "A1"
    assert render("_source.Tags[1]") == "blue"


def test_plain_path_reads_a_digit_key_of_an_object() -> None:
    assert render("_source.0") == "zero key"


def test_plain_path_quotes_a_key_with_brackets() -> None:
    assert render("_source.[first name]") == "Spaced"


def test_plain_path_gives_empty_when_missing() -> None:
    assert render("_source.Nope") == ""
    assert render("_source.Address.Nope.Deeper") == ""
    assert render("_source.Items.5.Sku") == ""
    assert render("_source.FirstName.Length") == ""
    assert render("_source.Tags.-1") == ""


def test_plain_path_gives_empty_for_null() -> None:
    assert render("_source.Nothing") == ""


def test_plain_path_renders_numbers_and_booleans_as_json() -> None:
    assert render("_source.Age") == "12"
    assert render("_source.Score") == "1.5"
    assert render("_source.Vip") == "true"
    assert render("_source.Banned") == "false"
    assert render("_source.Zero") == "0"


def test_plain_path_renders_objects_and_arrays_as_compact_json() -> None:
    assert render("_source.Address") == '{"City":"Paris","Zip":"75001"}'
    assert render("_source.Tags") == '["red","blue"]'
    assert render("_source.Empty") == "[]"
    assert render("_source", {"é": [1, None]}) == '{"é":[1,null]}'


def test_plain_path_on_a_non_object_source_gives_empty() -> None:
    assert render("_source.a", "text") == ""
    assert render("_source.0", [7]) == "7"
    assert render("_source", 3) == "3"


def test_plain_path_must_start_with_source() -> None:
    assert error("FirstName") == 'path "FirstName" does not start with _source'
    assert error("_sourceX.a") == 'path "_sourceX.a" does not start with _source'
    assert error(" _source.a") == 'path " _source.a" does not start with _source'


def test_plain_path_rejects_empty_segments() -> None:
    assert error("_source..a") == 'invalid path "_source..a": empty segment'
    assert error("_source.") == 'invalid path "_source.": empty segment'
    assert error(".a") == 'invalid path ".a": empty segment'


def test_plain_path_rejects_bad_brackets() -> None:
    assert error("_source.[a") == 'invalid path "_source.[a": unclosed ['
    assert error("_source.[]") == 'invalid path "_source.[]": empty []'
    assert error("_source.[a]b") == 'invalid path "_source.[a]b": "b" after ]'
    assert error("_source.a]") == 'invalid path "_source.a]": ] without ['


def test_source_must_not_be_empty() -> None:
    assert error("") == "Source is empty"


def test_source_must_be_a_string() -> None:
    with pytest.raises(SourceError) as raised:
        compile_source(5)  # type: ignore[arg-type]
    assert str(raised.value) == "Source must be a string, not int"


# -- interpolation ------------------------------------------------------------------------


def test_template_concatenates_fields() -> None:
    assert render("{{_source.FirstName}} {{_source.LastName}}") == "Ann Lee"


def test_template_keeps_literal_text() -> None:
    assert render("id-{{_source.Age}}/{{_source.Address.Zip}}!") == "id-12/75001!"


def test_template_allows_whitespace_inside_braces() -> None:
    assert render("{{ _source.FirstName }}|{{\t_source.LastName\n}}") == "Ann|Lee"


def test_template_renders_missing_and_null_as_empty() -> None:
    assert render("[{{_source.Nope}}][{{_source.Nothing}}]") == "[][]"


def test_template_renders_values_as_json() -> None:
    source = "{{_source.Age}} {{_source.Score}} {{_source.Vip}} {{_source.Tags}}"
    assert render(source) == '12 1.5 true ["red","blue"]'


def test_template_indexes_arrays() -> None:
    assert render("{{_source.Items.0.Sku}}{{_source.Items[1].Sku}}{{_source.Tags.[0]}}") == (
        "A1B2red"
    )


def test_template_does_not_escape_html() -> None:
    obj = {"Name": "O'Brien & <Sons>"}
    assert render("{{_source.Name}}", obj) == "O'Brien & <Sons>"
    assert render("{{{_source.Name}}}", obj) == "O'Brien & <Sons>"
    assert render("{{&_source.Name}}", obj) == "O'Brien & <Sons>"


def test_template_strips_whitespace_with_tildes() -> None:
    assert render("a  {{~_source.Age~}}  b") == "a12b"
    assert render("a  {{~{_source.Age}~}}  b") == "a12b"
    assert render("a {{~! note ~}} b") == "ab"


def test_template_drops_comments() -> None:
    assert render("{{! a note }}x{{!-- has }} inside --}}y") == "xy"


def test_template_escaped_braces_are_literal() -> None:
    assert render("\\{{_source.Age}}") == "{{_source.Age}}"
    assert render("\\\\{{_source.Age}}") == "\\12"


def test_template_with_only_text_is_that_text() -> None:
    assert render("{{! just a constant }}ACME") == "ACME"


def test_template_path_must_start_with_source() -> None:
    assert error("{{FirstName}}") == 'path "FirstName" does not start with _source at offset 0'
    assert error("x {{this}}") == 'path "this" does not start with _source at offset 2'


def test_template_rejects_bad_path_characters() -> None:
    assert error("{{_source.a,b}}") == "invalid path \"_source.a,b\": character ',' at offset 0"
    assert error("{{_source..a}}") == 'invalid path "_source..a": empty segment at offset 0'
    assert error("{{_source.[a}}") == 'invalid path "_source.[a": unclosed [ at offset 0'


# -- #if / #unless ------------------------------------------------------------------------


def test_if_renders_its_body_when_truthy() -> None:
    assert render("{{#if _source.FirstName}}yes{{/if}}") == "yes"


def test_if_renders_nothing_when_falsy() -> None:
    for path in ("Nope", "Nothing", "Banned", "MiddleName", "Zero", "Empty"):
        assert render(f"{{{{#if _source.{path}}}}}yes{{{{/if}}}}") == "", path


def test_if_treats_an_empty_object_as_truthy() -> None:
    assert render("{{#if _source.NoKeys}}yes{{/if}}") == "yes"


def test_if_else_renders_the_inverse() -> None:
    assert render("{{#if _source.MiddleName}}M{{else}}none{{/if}}") == "none"
    assert render("{{#if _source.MiddleName}}M{{^}}none{{/if}}") == "none"


def test_if_else_if_chains() -> None:
    source = "{{#if _source.Nope}}a{{else if _source.Vip}}b{{else}}c{{/if}}"
    assert render(source) == "b"
    assert render(source, {}) == "c"


def test_unless_renders_its_body_when_falsy() -> None:
    assert render("{{#unless _source.Banned}}ok{{/unless}}") == "ok"
    assert render("{{#unless _source.Vip}}ok{{else}}vip{{/unless}}") == "vip"


def test_if_keeps_the_context() -> None:
    assert render("{{#if _source.Vip}}{{_source.FirstName}}{{/if}}") == "Ann"


# -- #each ----------------------------------------------------------------------------------


def test_each_iterates_an_array_with_this() -> None:
    assert render("{{#each _source.Tags}}<{{this}}>{{/each}}") == "<red><blue>"
    assert render("{{#each _source.Tags}}<{{.}}>{{/each}}") == "<red><blue>"
    assert render("{{#each _source.Items}}<{{this.[0]}}>{{/each}}", {"Items": [[1], [2]]}) == (
        "<1><2>"
    )
    assert render("{{#each _source.Items}}<{{this[0]}}>{{/each}}", {"Items": [[1], [2]]}) == (
        "<1><2>"
    )


def test_each_exposes_index_first_and_last() -> None:
    source = "{{#each _source.Tags}}{{@index}}{{#if @first}}F{{/if}}{{#if @last}}L{{/if}};{{/each}}"
    assert render(source) == "0F;1L;"


def test_each_reads_item_fields_by_name_and_through_this() -> None:
    source = "{{#each _source.Items}}{{Sku}}x{{this.Qty}} {{/each}}"
    assert render(source) == "A1x2 B2x1 "


def test_each_iterates_an_object_with_key() -> None:
    assert render("{{#each _source.Address}}{{@key}}={{this}};{{/each}}") == "City=Paris;Zip=75001;"


def test_each_else_renders_for_empty_or_missing() -> None:
    for path in ("Empty", "NoKeys", "Nope", "FirstName", "Age"):
        assert render(f"{{{{#each _source.{path}}}}}x{{{{else}}}}none{{{{/each}}}}") == "none"


def test_each_renders_nothing_for_empty_without_else() -> None:
    assert render("{{#each _source.Empty}}x{{/each}}") == ""


def test_each_falls_back_to_enclosing_contexts() -> None:
    source = "{{#each _source.Tags}}{{this}}-{{_source.FirstName}} {{/each}}"
    assert render(source) == "red-Ann blue-Ann "


def test_each_nested_uses_the_inner_index() -> None:
    obj = {"Rows": [[1, 2], [3]]}
    source = "{{#each _source.Rows}}{{#each this}}{{@index}}{{this}}{{/each}};{{/each}}"
    assert render(source, obj) == "0112;03;"


def test_each_item_this_does_not_fall_back() -> None:
    assert render("{{#each _source.Items}}[{{this.FirstName}}]{{/each}}") == "[][]"


def test_data_variables_outside_each_are_empty() -> None:
    assert render("[{{@index}}]") == "[]"


# -- #with --------------------------------------------------------------------------------


def test_with_switches_the_context() -> None:
    assert render("{{#with _source.Address}}{{City}} {{Zip}}{{/with}}") == "Paris 75001"


def test_with_falls_back_to_enclosing_contexts() -> None:
    assert render("{{#with _source.Address}}{{_source.FirstName}}@{{City}}{{/with}}") == "Ann@Paris"


def test_with_else_renders_for_missing() -> None:
    assert render("{{#with _source.Nope}}x{{else}}none{{/with}}") == "none"


def test_with_renders_zero() -> None:
    assert render("{{#with _source.Zero}}[{{this}}]{{/with}}") == "[0]"


def test_with_inside_each_keeps_index() -> None:
    obj = {"People": [{"Name": {"First": "A"}}, {"Name": {"First": "B"}}]}
    source = "{{#each _source.People}}{{#with Name}}{{@index}}{{First}}{{/with}}{{/each}}"
    assert render(source, obj) == "0A1B"


# -- removeExtraSpace ---------------------------------------------------------------------


def test_remove_extra_space_collapses_a_missing_middle_name() -> None:
    source = (
        "{{#removeExtraSpace}}{{_source.FirstName}} {{_source.MiddleName}} "
        "{{_source.LastName}}{{/removeExtraSpace}}"
    )
    assert render(source) == "Ann Lee"
    assert render(source, {"LastName": "Lee"}) == "Lee"
    assert render(source, {}) == ""


def test_remove_extra_space_collapses_tabs_and_newlines_and_trims() -> None:
    obj = {"A": " x\t\n y  "}
    assert render("{{#removeExtraSpace}} [{{_source.A}}] {{/removeExtraSpace}}", obj) == "[ x y ]"


def test_remove_extra_space_leaves_outside_text_alone() -> None:
    source = "a  {{#removeExtraSpace}}b  c{{/removeExtraSpace}}  d"
    assert render(source) == "a  b c  d"


# -- nesting ------------------------------------------------------------------------------


def test_blocks_nest() -> None:
    source = (
        "{{#removeExtraSpace}}{{#each _source.Items}}{{#if Qty}}{{#unless @last}}{{Sku}} "
        "{{else}} last:{{Sku}}{{/unless}}{{/if}}{{/each}}{{/removeExtraSpace}}"
    )
    assert render(source) == "A1 last:B2"


def test_blocks_nest_up_to_a_hundred_deep() -> None:
    source = "{{#if _source.Vip}}" * 100 + "x" + "{{/if}}" * 100
    assert render(source) == "x"
    too_deep = "{{#if _source.Vip}}" * 101 + "{{/if}}" * 101
    assert error(too_deep) == "blocks nested more than 100 deep at offset 1900"


# -- invalid templates --------------------------------------------------------------------


def test_invalid_unclosed_block() -> None:
    assert error("{{#if _source.A}}x") == "unclosed {{#if}} at offset 0"
    assert error("{{#if _source.A}}{{else if _source.B}}x") == "unclosed {{#if}} at offset 0"
    assert error("a{{#each _source.A}}{{#with this}}{{/with}}") == "unclosed {{#each}} at offset 1"


def test_invalid_mismatched_close() -> None:
    assert error("{{#if _source.A}}x{{/each}}") == (
        "mismatched {{/each}} at offset 18: expected {{/if}}"
    )
    assert error("{{#if _source.A}}{{else unless _source.B}}{{/unless}}") == (
        "mismatched {{/unless}} at offset 42: expected {{/if}}"
    )


def test_invalid_close_without_open() -> None:
    assert error("x{{/if}}") == "unexpected {{/if}} at offset 1: no block is open"


def test_invalid_else_outside_a_block() -> None:
    assert error("{{else}}") == "unexpected {{else}} at offset 0: no block is open"


def test_invalid_second_else() -> None:
    assert error("{{#if _source.A}}{{else}}{{else}}{{/if}}") == (
        "second {{else}} at offset 25 in the {{#if}} opened at offset 0"
    )


def test_invalid_else_in_remove_extra_space() -> None:
    assert error("{{#removeExtraSpace}}a{{else}}b{{/removeExtraSpace}}") == (
        "unexpected {{else}} at offset 22: {{#removeExtraSpace}} has no else branch"
    )


def test_invalid_unknown_block_helper() -> None:
    assert error("{{#lookup _source.A}}{{/lookup}}") == (
        'unknown block helper "#lookup" at offset 0'
    )
    assert error("{{#if _source.A}}{{else foo _source.B}}{{/if}}") == (
        'unknown block helper "#foo" at offset 17'
    )


def test_invalid_unknown_helper() -> None:
    assert error("{{uppercase _source.A}}") == 'unknown helper "uppercase" at offset 0'


def test_invalid_block_helper_used_inline() -> None:
    assert error("{{removeExtraSpace _source.A}}") == (
        'helper "removeExtraSpace" must open a block '
        "({{#removeExtraSpace}}...{{/removeExtraSpace}}) at offset 0"
    )
    assert (
        error("{{if _source.A}}") == 'helper "if" must open a block ({{#if}}...{{/if}}) at offset 0'
    )


def test_invalid_block_arguments() -> None:
    assert error("{{#if}}{{/if}}") == "{{#if}} takes exactly one path at offset 0"
    assert error("{{#each _source.A _source.B}}{{/each}}") == (
        "{{#each}} takes exactly one path at offset 0"
    )
    assert error("{{#removeExtraSpace _source.A}}{{/removeExtraSpace}}") == (
        "{{#removeExtraSpace}} takes no arguments at offset 0"
    )


def test_invalid_block_path_must_start_with_source() -> None:
    assert error("{{#if A}}{{/if}}") == 'path "A" does not start with _source at offset 0'


def test_invalid_unclosed_mustache() -> None:
    assert error("ab{{_source.A") == "unclosed {{ at offset 2"
    assert error("{{{_source.A}}") == "unclosed {{{ at offset 0"
    assert error("{{!-- note }}") == "unclosed comment at offset 0"


def test_invalid_empty_expression() -> None:
    assert error("{{}}") == "empty expression at offset 0"
    assert error("x{{ ~}}") == "empty expression at offset 1"
    assert error("{{#}}{{/}}") == "empty expression at offset 0"


def test_invalid_unsupported_handlebars_features() -> None:
    cases = {
        "{{> partial}}": "partials are not supported at offset 0",
        "{{#> layout}}{{/layout}}": "partials are not supported at offset 0",
        "{{#*inline}}{{/inline}}": "decorators are not supported at offset 0",
        "{{^_source.A}}x{{/_source.A}}": (
            "inverse sections ({{^...}}) are not supported at offset 0"
        ),
        "{{#if (eq _source.A 1)}}{{/if}}": "subexpressions are not supported at offset 0",
        "{{#each _source.A as |x|}}{{/each}}": "block parameters are not supported at offset 0",
        "{{#with _source.A key=1}}{{/with}}": "hash arguments are not supported at offset 0",
        '{{#if "yes"}}{{/if}}': "literal arguments are not supported at offset 0",
        "{{#if true}}{{/if}}": "literal arguments are not supported at offset 0",
        "{{#each _source.A}}{{../B}}{{/each}}": (
            "parent paths (../) are not supported at offset 19"
        ),
        "{{@root._source.A}}": (
            'data variable "@root._source.A" is not supported'
            " (only @index, @key, @first, @last) at offset 0"
        ),
    }
    for source, message in cases.items():
        assert error(source) == message, source


def test_check_source_returns_none_when_valid() -> None:
    assert check_source("_source.A") is None
    assert check_source("{{#if _source.A}}{{_source.A}}{{/if}}") is None


# -- compile and extract ------------------------------------------------------------------


def test_compile_source_caches_by_source() -> None:
    assert compile_source("_source.Cached.Path") is compile_source("_source.Cached.Path")


def test_extract_gives_every_field_including_empty_ones() -> None:
    fields = {
        "first": {"Source": "_source.FirstName", "Target": "_profile.FirstName"},
        "middle": {"Source": "_source.MiddleName"},
        "full": {"Source": "{{_source.FirstName}} {{_source.LastName}}", "ContentType": "NAME"},
        "missing": {"Source": "_source.Nope"},
        "nosource": {"Target": "_profile.LastName"},
    }
    assert extract(fields, OBJ) == {
        "first": "Ann",
        "middle": "",
        "full": "Ann Lee",
        "missing": "",
        "nosource": "",
    }


def test_extract_raises_for_an_invalid_source() -> None:
    with pytest.raises(SourceError) as raised:
        extract({"bad": {"Source": "{{#if _source.A}}"}}, OBJ)
    assert str(raised.value) == "unclosed {{#if}} at offset 0"
    with pytest.raises(SourceError) as raised:
        extract({"bad": {"Source": ["_source.A"]}}, OBJ)
    assert str(raised.value) == "Source must be a string, not list"


# -- properties ---------------------------------------------------------------------------

PROPERTIES = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

FRAGMENTS = [
    "{{", "}}", "{{{", "}}}", "~", "#if ", "#unless ", "#each ", "#with ", "#removeExtraSpace",
    "/if", "/unless", "/each", "/with", "/removeExtraSpace", "else", "else if ", "^", "!", "!--",
    "--", ">", "&", "@index", "@key", "@first", "@last", "@root", "this", ".", "..", "../",
    "_source", "_source.", "a", "b.0", "[", "]", "[x y]", " ", "\\", "(", ")", "=", "|", '"',
    "0", "as |x|",
]  # fmt: skip

sources = st.one_of(
    st.text(max_size=60),
    st.lists(st.sampled_from(FRAGMENTS), max_size=30).map("".join),
)

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(["a", "b", "0", "1", "_source", "x y"]), inner, max_size=4
        )
    ),
    max_leaves=20,
)


@PROPERTIES
@given(source=sources)
def test_compile_source_raises_only_source_error(source: str) -> None:
    message = check_source(source)  # calls compile_source: anything else would propagate
    if message is None:
        assert callable(compile_source(source))
    else:
        assert message
        with pytest.raises(SourceError) as raised:
            compile_source(source)
        assert str(raised.value) == message


VALID_SOURCES = [
    "_source",
    "_source.a",
    "_source.a.0.b",
    "_source.a[1]",
    "{{_source}}|{{_source.a}}|{{_source.a.b}}",
    "{{#each _source}}{{@index}}{{@key}}{{this}}{{a}}{{_source.b}}{{else}}E{{/each}}",
    "{{#each _source.a}}{{#each this}}{{@first}}{{@last}}{{.}}{{/each}}{{/each}}",
    "{{#with _source.a}}{{b}}{{this.0}}{{#with b}}{{a}}{{/with}}{{else}}W{{/with}}",
    "{{#if _source.a}}{{_source.a}}{{else if _source.b}}B{{else}}N{{/if}}",
    "{{#unless _source.b}}{{_source.b.a}}{{/unless}}",
    "{{#removeExtraSpace}} {{_source.a}}  {{_source.b}} {{/removeExtraSpace}}",
]


@PROPERTIES
@given(obj=json_values)
def test_compiled_sources_never_raise_on_json_values(obj: Any) -> None:
    for source in VALID_SOURCES:
        assert isinstance(compile_source(source)(obj), str)


@PROPERTIES
@given(source=sources, obj=json_values)
def test_any_compiled_source_never_raises(source: str, obj: Any) -> None:
    message = check_source(source)
    if message is None:
        assert isinstance(compile_source(source)(obj), str)


@PROPERTIES
@given(obj=json_values)
def test_plain_path_renders_json_scalars_like_json(obj: Any) -> None:
    value = compile_source("_source")(obj)
    if obj is None:
        assert value == ""
    elif isinstance(obj, str):
        assert value == obj
    else:
        assert value == json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def test_each_budget_is_per_call_of_a_compiled_source():
    # A compiled source called on its own renders one object: what earlier calls used
    # does not count against it (the suite ran these in any order, in one thread).
    wide = compile_source("{{#each _source.Items}}x{{/each}}")
    items = {"Items": list(range(600_000))}
    assert len(wide(items)) == 600_000
    assert len(wide(items)) == 600_000


def test_each_budget_is_shared_by_the_fields_of_one_object():
    fields = {name: {"Source": "{{#each _source.Items}}x{{/each}}"} for name in ("a", "b")}
    with pytest.raises(SourceError) as excinfo:
        extract(fields, {"Items": list(range(600_000))})
    assert str(excinfo.value) == "#each renders more than 1,000,000 items for one object"
