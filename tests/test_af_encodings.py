"""The ASP encodings of src/argmap/lp/af/ on their own: headers, and plain clingo runs on small cases."""

from __future__ import annotations

import re
from pathlib import Path

import clingo
import pytest

from argmap.af import FILES

ENCODINGS = Path(__file__).resolve().parents[1] / "src" / "argmap" / "lp" / "af"
DATA = Path(__file__).resolve().parent / "data" / "af"
DOMREC = ["--heuristic=Domain", "--enum-mode=domRec"]


@pytest.mark.parametrize("name", sorted(FILES.values()))
def test_header_names_input_and_output(name: str) -> None:
    text = (ENCODINGS / name).read_text(encoding="utf-8")
    header = "\n".join(line for line in text.splitlines() if line.startswith("%"))
    assert re.search(r"^% INPUT: arg/1, att/2", header, flags=re.MULTILINE), name
    assert re.search(r"^% OUTPUT: in/1", header, flags=re.MULTILINE), name


def test_only_show_lp_has_show() -> None:
    with_show = sorted(p.name for p in ENCODINGS.glob("*.lp") if "#show" in p.read_text(encoding="utf-8"))
    assert with_show == ["show.lp"]


def extensions(name: str, framework: str, options: list[str], extra: str = "") -> list[set[str]]:
    """Run an encoding with an apx file as clingo would from the shell; the shown in/1 of each answer set."""
    ctl = clingo.Control([*options, "--models=0", "--warn=none"])
    ctl.load(str(ENCODINGS / name))
    ctl.load(str(DATA / framework))
    ctl.add("base", [], extra)
    ctl.ground([("base", [])])
    found: list[set[str]] = []
    ctl.solve(on_model=lambda m: found.append({str(s.arguments[0]) for s in m.symbols(shown=True)}))
    return sorted(found, key=sorted)


@pytest.mark.parametrize(
    ("name", "options", "expected"),
    [
        (
            "conflict_free.lp",
            [],
            [set(), {"a"}, {"a", "c"}, {"a", "d"}, {"a", "e"}, {"b"}, {"b", "d"}, {"b", "e"}, {"c"}, {"d"}, {"e"}],
        ),
        ("admissible.lp", [], [set(), {"a"}, {"b"}, {"b", "d"}]),
        ("complete.lp", [], [set(), {"a"}, {"b", "d"}]),
        ("grounded.lp", [], [set()]),
        ("stable.lp", [], [{"b", "d"}]),
        ("preferred.lp", DOMREC, [{"a"}, {"b", "d"}]),
        ("semi_stable.lp", [], [set(), {"a"}, {"b", "d"}]),
        (
            "stage.lp",
            [],
            [set(), {"a"}, {"a", "c"}, {"a", "d"}, {"a", "e"}, {"b"}, {"b", "d"}, {"b", "e"}, {"c"}, {"d"}, {"e"}],
        ),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_sample_with_plain_clingo(name: str, options: list[str], expected: list[set[str]]) -> None:
    assert extensions(name, "sample.apx", options) == sorted(expected, key=sorted)


def test_preferred_without_domrec_enumerates_complete_extensions() -> None:
    assert extensions("preferred.lp", "sample.apx", []) == [set(), {"a"}, {"b", "d"}]


def test_ideal_keeps_the_largest_admissible_subset_of_its_candidates() -> None:
    # The preferred extensions of the sample are {a} and {b, d}.  Given {b, d}
    # as candidates, the largest admissible subset is {b, d} itself; given
    # {b, c, e}, it is {b}; given {d}, it is empty (d needs b against c).
    assert extensions("ideal.lp", "sample.apx", DOMREC, "candidate(b;d).") == [{"b", "d"}]
    assert extensions("ideal.lp", "sample.apx", DOMREC, "candidate(b;c;e).") == [{"b"}]
    assert extensions("ideal.lp", "sample.apx", DOMREC, "candidate(d).") == [set()]


def test_grounded_of_a_chain() -> None:
    """a -> b -> c: a is unattacked, so c is defended; the fixpoint by grounding alone."""
    ctl = clingo.Control(["--warn=none"])
    ctl.load(str(ENCODINGS / "grounded.lp"))
    ctl.add("base", [], "arg(a;b;c). att(a,b). att(b,c).")
    ctl.ground([("base", [])])
    facts = {str(a.symbol) for a in ctl.symbolic_atoms.by_signature("in", 1) if a.is_fact}
    assert facts == {"in(a)", "in(c)"}


@pytest.mark.parametrize("name", ["semi_stable.lp", "stage.lp"])
def test_prefer_in_changes_no_answer_set(name: str) -> None:
    """prefer_in.lp is a search hint only: with the default enumeration, the same answer sets."""
    plain = extensions(name, "sample.apx", [])
    ctl = clingo.Control(["--heuristic=Domain", "--models=0", "--warn=none"])
    for file in (name, "prefer_in.lp"):
        ctl.load(str(ENCODINGS / file))
    ctl.load(str(DATA / "sample.apx"))
    ctl.ground([("base", [])])
    found: list[set[str]] = []
    ctl.solve(on_model=lambda m: found.append({str(s.arguments[0]) for s in m.symbols(shown=True)}))
    assert sorted(found, key=sorted) == plain


def test_range_is_the_set_and_what_it_attacks() -> None:
    ctl = clingo.Control(["--models=0", "--warn=none"])
    ctl.load(str(ENCODINGS / "stage.lp"))
    ctl.load(str(DATA / "sample.apx"))
    ctl.add("base", [], ":- not in(b). :- in(X), X != b.")
    ctl.ground([("base", [])])
    ranges: list[set[str]] = []
    ctl.solve(
        on_model=lambda m: ranges.append({str(s.arguments[0]) for s in m.symbols(atoms=True) if s.name == "range"})
    )
    assert ranges == [{"a", "b", "c"}]
