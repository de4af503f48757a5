"""The YAML proposal loader: every bad input is an InputError that says where and what."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

import argmap
from argmap.io.proposals import load_proposal
from helpers import PROPOSALS

BASE = "title: A test proposal\nsource: written for the test suite\n"


def write(tmp_path: Path, content: str | bytes, name: str = "p.yaml") -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def load_error(app: argmap.Argmap, path: Path) -> argmap.InputError:
    with pytest.raises(argmap.InputError) as info:
        app.load(str(path))
    return info.value


def _bomb(levels: int = 9, width: int = 9) -> str:
    lines = ["a0: &a0 [" + ", ".join(["lol"] * width) + "]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n" + BASE


# (id, file content, message fragment, line, key, suggestion)
BAD = [
    ("unknown_key_typo", BASE + "guarantor: [uk]\n", "unknown key", 3, "guarantor", "guarantors"),
    ("unknown_key_no_suggestion", BASE + "zzzzzz: 1\n", "unknown key", 3, "zzzzzz", None),
    (
        "bad_value_typo_in_list",
        BASE + "us_role: [backstp]\n",
        "'backstp' is not a value of us_role",
        3,
        "us_role",
        "backstop",
    ),
    ("bad_value_typo_one", BASE + "lead: europen\n", "'europen' is not a value of lead", 3, "lead", "european"),
    ("flag_given_string", BASE + "air_defence: 'yes'\n", "is not true or false", 3, "air_defence", None),
    ("flag_given_number", BASE + "army_cap: 1\n", "the number 1 is not true or false", 3, "army_cap", None),
    (
        "many_given_mapping",
        BASE + "guarantors: {uk: 1}\n",
        "a mapping is not a value of guarantors",
        3,
        "guarantors",
        None,
    ),
    ("one_given_list", BASE + "lead: [european]\n", "a list is not a value of lead", 3, "lead", None),
    ("empty_value", BASE + "lead:\n", "an empty value", 3, "lead", None),
    ("empty_list", BASE + "guarantors: []\n", "the list is empty", 3, "guarantors", None),
    ("value_listed_twice", BASE + "guarantors: [uk, france, uk]\n", "'uk' is listed twice", 3, "guarantors", None),
    ("missing_title", "source: s\nlead: european\n", "missing required key", 1, "title", None),
    ("missing_source", "title: t\nlead: european\n", "missing required key", 1, "source", None),
    ("title_not_text", "title: 5\nsource: s\n", "must be text", 1, "title", None),
    ("title_blank", "title: '  '\nsource: s\n", "must be text", 1, "title", None),
    ("bad_id", BASE + "id: Not-An-Id\n", "is not an identifier", 3, "id", None),
    ("open_not_a_list", BASE + "open: us_role\n", "must be a list", 3, "open", None),
    ("open_unknown_component", BASE + "open: [us_rol]\n", "'us_rol' is not a component key", 3, "open", "us_role"),
    ("open_and_set", BASE + "lead: us\nopen: [lead]\n", "'lead' is both set and left open", 4, "open", None),
    ("open_twice", BASE + "open: [lead, lead]\n", "'lead' is listed twice", 3, "open", None),
    (
        "open_mapping_unknown_component",
        BASE + "open: {us_rol: [backstop]}\n",
        "'us_rol' is not a component key",
        3,
        "open",
        "us_role",
    ),
    (
        "open_mapping_bad_value",
        BASE + "open:\n  us_role: [backstp]\n",
        "'backstp' is not a value of us_role",
        4,
        "open.us_role",
        "backstop",
    ),
    ("open_mapping_no_values", BASE + "open:\n  us_role: []\n", "no values to choose from", 4, "open.us_role", None),
    (
        "open_flag_not_a_bool",
        BASE + "open:\n  air_defence: [maybe]\n",
        "is not true or false",
        4,
        "open.air_defence",
        None,
    ),
    (
        "timing_out_of_range",
        BASE + "phases:\n  - name: a\n    timing: {after_ceasefire: 31}\n",
        "31 years is out of range",
        5,
        "phases[1].timing",
        None,
    ),
    (
        "timing_not_whole",
        BASE + "phases:\n  - name: a\n    timing: {after_ceasefire: 1.5}\n",
        "years must be a whole number",
        5,
        "phases[1].timing",
        None,
    ),
    ("date_not_a_date", BASE + "date: yesterday\n", "'yesterday' is not a date", 3, "date", None),
    ("date_not_on_the_calendar", BASE + "date: 2025-02-30\n", "day is out of range for month", 3, "date", None),
    (
        "duplicate_key",
        BASE + "lead: european\nguarantors: [uk]\nlead: us\n",
        "duplicate key (first given on line 3)",
        5,
        "lead",
        None,
    ),
    ("yaml_syntax_error", BASE + "guarantors: [uk\nlead: us\n", "invalid YAML", 4, None, None),
    ("tab_indentation", BASE + "guarantors:\n\t- uk\n", "invalid YAML", 4, None, None),
    ("two_documents", BASE + "---\ntitle: again\n", "invalid YAML", 3, None, None),
    ("non_utf8", BASE.encode() + "notes: caf\xe9\n".encode("latin-1"), "not valid UTF-8", 3, None, None),
    ("anchor_and_alias", "title: &t a title\nsource: *t\n", "anchors and aliases are not supported", 1, None, None),
    ("billion_laughs", _bomb(), "anchors and aliases are not supported", 1, None, None),
    ("python_tag", "title: t\nsource: !!python/name:os.system ''\n", "cannot read value", 2, "source", None),
    (
        "python_tag_on_list",
        "title: t\nsource: !!python/object/apply:os.system ['true']\n",
        "could not determine a constructor for the tag 'tag:yaml.org,2002:python/object/apply:os.system'",
        2,
        "source",
        None,
    ),
    ("root_is_a_list", "- lead\n- european\n", "must be a mapping", 1, None, None),
    ("root_is_a_scalar", "just words\n", "must be a mapping", 1, None, None),
    ("key_not_a_word", BASE + "1: european\n", "is not a word", 3, None, None),
    ("nested_too_deep", BASE + "notes: " + "[" * 40 + "]" * 40 + "\n", "nested deeper", 3, None, None),
    ("empty_file", "", "the file is empty", None, None, None),
    ("comment_only", "# a proposal to come\n", "the file is empty", None, None, None),
]


@pytest.mark.parametrize(
    ("content", "message", "line", "key", "suggestion"), [b[1:] for b in BAD], ids=[b[0] for b in BAD]
)
def test_bad_input_is_located(
    app: argmap.Argmap,
    tmp_path: Path,
    content: str | bytes,
    message: str,
    line: int | None,
    key: str | None,
    suggestion: str | None,
) -> None:
    path = write(tmp_path, content)
    err = load_error(app, path)
    assert message in err.message
    assert err.path == str(path)
    assert err.line == line
    assert err.key == key
    assert err.suggestion == suggestion
    # The one-line form names the place, the key and the hint.
    text = str(err)
    assert text.startswith(f"{path}:{line}:" if line is not None else f"{path}: ")
    if key is not None:
        assert f"{key}: " in text
    if suggestion is not None:
        assert f"did you mean '{suggestion}'?" in text


def test_unknown_key_lists_the_allowed_keys(app: argmap.Argmap, tmp_path: Path) -> None:
    err = load_error(app, write(tmp_path, BASE + "guarantor: [uk]\n"))
    assert err.expected is not None
    assert "guarantors" in err.expected and "us_role" in err.expected and "title" in err.expected


def test_bad_value_lists_the_allowed_values(app: argmap.Argmap, tmp_path: Path) -> None:
    err = load_error(app, write(tmp_path, BASE + "us_role: [backstp]\n"))
    assert err.expected is not None
    assert "backstop" in err.expected and "treaty_ally" in err.expected


def test_duplicate_key_is_an_error_not_last_wins(app: argmap.Argmap, tmp_path: Path) -> None:
    err = load_error(app, write(tmp_path, BASE + "lead: european\nlead: european\n"))
    assert err.line == 4 and err.column == 1


def test_directory_instead_of_file(app: argmap.Argmap, tmp_path: Path) -> None:
    folder = tmp_path / "looks_like.yaml"
    folder.mkdir()
    err = load_error(app, folder)
    assert err.path == str(folder)
    assert "directory" in err.message
    assert err.line is None


def test_missing_file(app: argmap.Argmap, tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    err = load_error(app, path)
    assert err.path == str(path)
    assert "no such file" in err.message


def test_oversized_file(app: argmap.Argmap, tmp_path: Path) -> None:
    path = write(tmp_path, BASE + "notes: >-\n" + ("  " + "x" * 78 + "\n") * 30_000)
    err = load_error(app, path)
    assert err.path == str(path)
    assert "limit" in err.message


def test_folder_without_proposals(app: argmap.Argmap, tmp_path: Path) -> None:
    with pytest.raises(argmap.InputError) as info:
        app.load_all([str(tmp_path)])
    assert info.value.path == str(tmp_path)


# ---------------------------------------------------------------- accepted input
def test_byte_order_mark_is_accepted(app: argmap.Argmap, tmp_path: Path) -> None:
    path = write(tmp_path, ("\ufeff" + BASE + "lead: european\nguarantors: [uk]\n").encode("utf-8"))
    p = app.load(str(path))
    assert p.title == "A test proposal"
    assert p.settings == (("guarantors", "uk"), ("lead", "european"))


def test_a_valid_proposal_reads_back(app: argmap.Argmap, tmp_path: Path) -> None:
    text = BASE + "guarantors: [uk, france]\nus_role: backstop\nair_defence: false\nopen: [timing]\nnotes: free\n"
    p = app.load(str(write(tmp_path, text, "my_plan.yaml")))
    assert p.id == "my_plan"
    assert p.settings == (
        ("air_defence", "false"),
        ("guarantors", "france"),
        ("guarantors", "uk"),
        ("us_role", "backstop"),
    )
    assert p.open == ("timing",)
    assert p.notes == "free"
    assert p.source == "written for the test suite"


def test_open_may_narrow_an_aspect_to_some_values(app: argmap.Argmap, tmp_path: Path) -> None:
    text = BASE + "lead: us\nopen:\n  us_role: [backstop, intelligence]\n  air_defence: [true]\n  timing: all\n"
    p = app.load(str(write(tmp_path, text)))
    assert p.open == ("air_defence", "timing", "us_role")
    assert p.open_values == (("air_defence", "true"), ("us_role", "backstop"), ("us_role", "intelligence"))


def test_a_date_reads_the_stances_of_that_day(app: argmap.Argmap, tmp_path: Path) -> None:
    p = app.load(str(write(tmp_path, BASE + "date: 2025-02-28\n")))
    assert p.date == 20250228
    assert app.load(str(write(tmp_path, BASE, "undated.yaml"))).date is None


def test_a_date_in_a_knowledge_base_without_stances_is_an_input_error(app: argmap.Argmap, tmp_path: Path) -> None:
    path = write(tmp_path, BASE + "date: 2025-02-28\n")
    without = dataclasses.replace(app.vocabulary, parts=app.vocabulary.parts - {"stances"})
    with pytest.raises(argmap.InputError, match="records no stances") as info:
        load_proposal(str(path), without)
    assert (info.value.key, info.value.line) == ("date", 3)
    assert "stance/5" in str(info.value.expected)


def test_id_key_overrides_the_file_name(app: argmap.Argmap, tmp_path: Path) -> None:
    p = app.load(str(write(tmp_path, BASE + "id: plan_b\n", "plan.yaml")))
    assert p.id == "plan_b"


@pytest.mark.parametrize(
    ("name", "pid"), [("plan.yml", "plan"), ("plan.yaml.bak", "plan.yaml.bak"), ("plan.YAML", "plan.YAML")]
)
def test_the_default_id_drops_only_a_yaml_suffix(app: argmap.Argmap, tmp_path: Path, name: str, pid: str) -> None:
    assert app.load(str(write(tmp_path, BASE, name))).id == pid


def test_every_example_proposal_loads(app: argmap.Argmap) -> None:
    loaded = app.load_all([str(PROPOSALS)])
    assert len(loaded) == len(list(PROPOSALS.glob("*.yaml")))
    assert len({p.id for p in loaded}) == len(loaded)


# ---------------------------------------------------------------- anchors and aliases
def test_alias_as_key_is_rejected(app: argmap.Argmap, tmp_path: Path) -> None:
    # '*k : us' with k anchored to 'lead' must not silently set lead=us.
    err = load_error(app, write(tmp_path, "title: &k lead\nsource: s\n*k : us\n"))
    assert "anchors and aliases" in err.message
    assert err.line is not None


def test_anchor_without_alias_is_rejected(app: argmap.Argmap, tmp_path: Path) -> None:
    err = load_error(app, write(tmp_path, BASE + "guarantors: &g [uk]\n"))
    assert "anchors and aliases" in err.message
    assert err.line == 3


# ---------------------------------------------------------------- injection
@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('lead: "european). credible(p1). %"\n', "lead"),
        ("us_role: ['x\"). credible. %']\n", "us_role"),
        ("western_contingent: 'none. credible'\n", "western_contingent"),
        ("air_defence: 'true). credible. %'\n", "air_defence"),
        ("open: ['lead). credible. %']\n", "open"),
        ("id: 'p). credible. %'\n", "id"),
    ],
    ids=["one_value", "list_value", "value_with_dot", "flag", "open_key", "id"],
)
def test_asp_in_a_value_is_not_an_allowed_value(app: argmap.Argmap, tmp_path: Path, text: str, key: str) -> None:
    err = load_error(app, write(tmp_path, BASE + text))
    assert err.key == key
    assert err.line == 3


def test_asp_in_a_key_is_an_unknown_key(app: argmap.Argmap, tmp_path: Path) -> None:
    err = load_error(app, write(tmp_path, BASE + "'lead(european). credible': european\n"))
    assert err.message == "unknown key"
    assert err.key == "lead(european). credible"


def _verdict_fields(v: argmap.Verdict) -> dict[str, object]:
    fields = dataclasses.asdict(v)
    fields.pop("proposal")
    return fields


@pytest.mark.parametrize(
    "extra",
    [
        "notes: 'credible. #show. :- not credible.'\n",
        'notes: "consistent. credible. feasible_now. precondition_met. #show credible/0."\n',
        'notes: |\n  #include "/etc/passwd".\n  credible.\n',
    ],
    ids=["show_directive", "verdict_atoms", "include_directive"],
)
def test_asp_in_notes_is_inert(app: argmap.Argmap, tmp_path: Path, extra: str) -> None:
    # A proposal the article judges not credible: European-led, no US role.
    body = "lead: european\nguarantors: [uk, france]\nwestern_contingent: tripwire\n"
    plain = app.load(str(write(tmp_path, BASE + body, "plain.yaml")))
    noisy = app.load(str(write(tmp_path, BASE + body + extra, "noisy.yaml")))
    assert noisy.notes and ("credible" in noisy.notes)
    before, after = app.check(plain), app.check(noisy)
    assert before["credible"].truth == "none"
    assert _verdict_fields(after) == _verdict_fields(before)


def test_asp_in_title_is_inert(app: argmap.Argmap, tmp_path: Path) -> None:
    body = "lead: european\nguarantors: [uk, france]\nwestern_contingent: tripwire\n"
    plain = app.load(str(write(tmp_path, BASE + body, "plain.yaml")))
    noisy_text = "title: 'credible. #show. %'\nsource: s\n" + body
    noisy = app.load(str(write(tmp_path, noisy_text, "noisy.yaml")))
    assert noisy.title == "credible. #show. %"
    assert _verdict_fields(app.check(noisy)) == _verdict_fields(app.check(plain))


# ---------------------------------------------------------------- a proposal's own date (issue 12, §4)
def _dated(tmp_path: Path, date: str) -> Path:
    text = (PROPOSALS / "guaranteed_guarantees.yaml").read_text(encoding="utf-8")
    path = tmp_path / "dated.yaml"
    path.write_text(text + f"date: {date}\n", encoding="utf-8")
    return path


def test_a_proposal_date_reads_the_latest_stances_on_record_by_then(app: argmap.Argmap, tmp_path: Path) -> None:
    p = app.load(str(_dated(tmp_path, "2024-06-13")))
    assert (p.date_asked, p.date) == (20240613, 20240200)  # February 2024, the record it falls back on


def test_a_proposal_date_sets_the_stances_it_is_judged_against(app: argmap.Argmap, tmp_path: Path) -> None:
    # On 28 February 2025 the US wanted a ceasefire first: the article's package was not feasible then.
    assert app.check(str(PROPOSALS / "guaranteed_guarantees.yaml"))["feasible_now"].text() == "yes"
    dated = app.load(str(_dated(tmp_path, "2025-03-01")))
    assert dated.date == 20250228
    assert app.check(dated)["feasible_now"].text() == "no"
    # --as-of overrides the proposal's date
    after = app.whatif(dated, app.changes(as_of="2025-08-22"))
    assert [(f.verdict, f.before, f.after) for f in after.flips] == [("feasible_now", "no", "yes")]


def test_a_date_before_every_record_is_an_input_error(app: argmap.Argmap, tmp_path: Path) -> None:
    path = _dated(tmp_path, "2023-01-01")
    with pytest.raises(argmap.InputError) as info:
        app.load(str(path))
    err = info.value
    assert (err.key, err.line) == ("date", path.read_text().count("\n"))
    assert "no stance is recorded on or before 1 January 2023" in err.message
    assert err.expected == "a date from February 2024 on"
    assert "-00" not in str(err)


def test_dates_read_in_words() -> None:
    from argmap.model.proposal import in_words

    assert [in_words(d) for d in (20250822, 20240200, 20240000, "x")] == [
        "22 August 2025",
        "February 2024",
        "2024",
        "x",
    ]


@pytest.mark.parametrize(
    ("content", "suggestion"),
    [
        ("title: t\nsource: s\nUS_Role: [backstop]\n", "us_role"),
        ("title: t\nsource: s\nguarantors: [US]\n", "us"),
        ("title: t\nsource: s\nlead: European\n", "european"),
    ],
    ids=["key", "list-value", "value"],
)
def test_a_near_miss_in_another_case_gets_did_you_mean(
    app: argmap.Argmap, tmp_path: Path, content: str, suggestion: str
) -> None:
    err = load_error(app, write(tmp_path, content))
    assert err.suggestion == suggestion


@pytest.mark.parametrize(
    ("option", "value", "suggestion"),
    [
        ("sets", "US_Role=backstop", "us_role"),
        ("sets", "us_role=Backstop", "backstop"),
        ("stances", "US.priority=ceasefire_first", "us"),
    ],
    ids=["component", "value", "actor"],
)
def test_a_near_miss_in_a_change_gets_did_you_mean(
    app: argmap.Argmap, option: str, value: str, suggestion: str
) -> None:
    with pytest.raises(argmap.InputError) as info:
        app.changes(**{option: (value,)})
    assert info.value.suggestion == suggestion


def test_as_of_echoes_the_date_asked_and_names_the_record_used(app: argmap.Argmap) -> None:
    [change] = app.changes(as_of="2024-06-13")
    assert str(change) == "stances as of 2024-06-13 (the last record on or before it: 2024-02)"
    with pytest.raises(argmap.InputError) as info:
        app.changes(as_of="2023-06-13")
    assert "-00" not in str(info.value) and "2024-02" in str(info.value)
