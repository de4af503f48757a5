"""Editing one mapping in a YAML file's text (argmap.io.yamledit), as `argmap test --update` does."""

from __future__ import annotations

import pytest
import yaml

from argmap.io.yamledit import EditError, refresh_mapping

DOC = """\
# leading comment
scenarios:
  - name: flow   # a comment on the name
    expect: {credible: true, risk: low}
  - name: block
    # before expect
    expect:
      credible: true   # kept
      risk: low
      warnings:
        - a
        - b
      # inside, after the last value
    # after expect
  - name: last
    expect: {credible: false}
"""


def _lines_changed(before: str, after: str) -> list[tuple[str, str]]:
    return [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=False) if a != b]


def test_a_flow_mapping_is_rewritten_in_flow_style_on_its_line() -> None:
    out = refresh_mapping(DOC, ["scenarios", 0, "expect"], {"credible": False, "risk": "low"})
    assert _lines_changed(DOC, out) == [
        ("    expect: {credible: true, risk: low}", "    expect: {credible: false, risk: low}")
    ]
    assert len(out.splitlines()) == len(DOC.splitlines())


def test_a_block_mapping_changes_only_the_values_that_change_and_keeps_every_comment() -> None:
    out = refresh_mapping(DOC, ["scenarios", 1, "expect"], {"credible": False, "risk": "high", "warnings": ["a", "b"]})
    assert _lines_changed(DOC, out) == [
        ("      credible: true   # kept", "      credible: false   # kept"),
        ("      risk: low", "      risk: high"),
    ]
    assert len(out.splitlines()) == len(DOC.splitlines())


def test_a_block_list_is_written_as_a_block_where_it_stood() -> None:
    out = refresh_mapping(DOC, ["scenarios", 1, "expect"], {"credible": True, "risk": "low", "warnings": ["b"]})
    assert "      warnings:\n        - b\n      # inside, after the last value\n" in out
    assert yaml.safe_load(out)["scenarios"][1]["expect"]["warnings"] == ["b"]


def test_a_key_that_goes_is_removed_with_its_lines_and_the_comments_after_stay() -> None:
    out = refresh_mapping(DOC, ["scenarios", 1, "expect"], {"credible": True, "risk": "low"})
    assert "warnings" not in out and "- a" not in out
    assert "      risk: low\n      # inside, after the last value\n    # after expect\n" in out


def test_nothing_else_in_the_file_changes() -> None:
    out = refresh_mapping(DOC, ["scenarios", 2, "expect"], {"credible": True})
    assert out == DOC.replace("expect: {credible: false}", "expect: {credible: true}")


def test_an_unchanged_mapping_gives_the_same_text() -> None:
    assert refresh_mapping(DOC, ["scenarios", 0, "expect"], {"credible": True, "risk": "low"}) is DOC


@pytest.mark.parametrize(
    ("path", "new", "fragment"),
    [
        (["scenarios", 0, "expect"], {"credible": True, "consistent": True}, "new keys"),
        (["scenarios", 0, "name"], {}, "not a mapping"),
        (["scenarios", 9, "expect"], {}, "nothing at scenarios.9.expect"),
    ],
)
def test_what_cannot_be_edited_in_place_is_an_edit_error(
    path: list[str | int], new: dict[str, object], fragment: str
) -> None:
    with pytest.raises((EditError, IndexError)) as err:
        refresh_mapping(DOC, path, new)
    assert fragment in str(err.value)


def test_a_value_that_would_not_read_back_is_refused_rather_than_written() -> None:
    """An empty value (`risk:`) has no text to replace; writing after the colon would make `risk:high`."""
    doc = "scenarios:\n  - expect:\n      credible: true\n      risk:\n"
    try:
        out = refresh_mapping(doc, ["scenarios", 0, "expect"], {"credible": True, "risk": "high"})
    except EditError:
        return
    assert yaml.safe_load(out)["scenarios"][0]["expect"] == {"credible": True, "risk": "high"}


def test_unicode_before_the_mapping_does_not_shift_the_edit() -> None:
    doc = "scenarios:\n  - name: Gewährleistung – “ü” 🇺🇦\n    expect: {credible: true}\n"
    out = refresh_mapping(doc, ["scenarios", 0, "expect"], {"credible": False})
    assert out == doc.replace("credible: true", "credible: false")


def test_crlf_line_ends_stay_crlf() -> None:
    doc = DOC.replace("\n", "\r\n")
    out = refresh_mapping(doc, ["scenarios", 1, "expect"], {"credible": True, "risk": "low", "warnings": ["b", "c"]})
    assert "\n" not in out.replace("\r\n", "")
    assert yaml.safe_load(out)["scenarios"][1]["expect"]["warnings"] == ["b", "c"]
    out = refresh_mapping(doc, ["scenarios", 1, "expect"], {"credible": True, "risk": "low"})
    assert out == doc.replace("      warnings:\r\n        - a\r\n        - b\r\n", "")


def test_an_empty_mapping_is_never_written() -> None:
    with pytest.raises(EditError, match="empty"):
        refresh_mapping(DOC, ["scenarios", 0, "expect"], {})


def test_what_argmap_reads_can_be_edited_a_tab_before_a_comment() -> None:
    """libyaml (argmap's reader) takes a tab before a comment, which PyYAML's own scanner refuses."""
    doc = "scenarios:\n  - expect:\n      credible: true\t# c\n"
    out = refresh_mapping(doc, ["scenarios", 0, "expect"], {"credible": False})
    assert out == doc.replace("true", "false")


def test_a_byte_order_mark_stays_and_does_not_shift_the_edit() -> None:
    doc = "\ufeff" + DOC
    out = refresh_mapping(doc, ["scenarios", 1, "expect"], {"credible": False, "risk": "low", "warnings": ["a", "b"]})
    assert out == doc.replace("credible: true   # kept", "credible: false   # kept")


@pytest.mark.parametrize("indent", ["", "  "], ids=["indentless", "indented"])
def test_a_block_list_that_becomes_a_scalar_is_written_after_the_colon(indent: str) -> None:
    doc = f"scenarios:\n  - expect:\n      risk:\n      {indent}- low\n      {indent}- high\n      credible: true\n"
    out = refresh_mapping(doc, ["scenarios", 0, "expect"], {"risk": "low", "credible": True})
    assert out == "scenarios:\n  - expect:\n      risk: low\n      credible: true\n"


def test_items_dropped_from_a_block_list_go_with_their_lines_and_the_rest_stays() -> None:
    doc = (
        "scenarios:\n  - expect:\n      warnings:\n"
        "        - a   # kept, with its comment\n"
        "        # a comment between items\n"
        "        - stale   # goes with its item\n"
        "        - {claim: c}   # a flow item, kept as written\n"
        "      credible: true\n"
    )
    out = refresh_mapping(doc, ["scenarios", 0, "expect"], {"warnings": ["a", {"claim": "c"}], "credible": True})
    assert out == doc.replace("        - stale   # goes with its item\n", "")


def test_a_quoted_string_keeps_its_quotes_and_a_block_scalar_its_line_end() -> None:
    doc = "scenarios:\n  - expect:\n      risk: 'medium'   # c\n      note: >-\n        low\n"
    out = refresh_mapping(doc, ["scenarios", 0, "expect"], {"risk": "low", "note": "high"})
    assert out == "scenarios:\n  - expect:\n      risk: 'low'   # c\n      note: high\n"


def test_a_flow_mapping_keeping_its_keys_changes_only_its_values_and_their_quotes_stay() -> None:
    doc = 'scenarios:\n  - expect: {credible: false, risk: "high"}   # c\n'
    out = refresh_mapping(doc, ["scenarios", 0, "expect"], {"credible": True, "risk": "low"})
    assert out == 'scenarios:\n  - expect: {credible: true, risk: "low"}   # c\n'
