"""Explanations: justification trees from the rules that fired, why-not, words, golden output."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import replace

import pytest
from click.testing import Result

import argmap
from argmap import InputError
from argmap.explain import Explanation, Node, explain, parse_atom
from argmap.render_explain import explanation_text
from helpers import ROOT, SOURCE, normalise, proposal_paths

IDS = [p.stem for p in proposal_paths()]
GOLDEN_PROPOSALS = ("european_reassurance_force", "guaranteed_guarantees", "neutral_yet_nato")
FORMATS = {"text": "txt", "tree": "tree.txt", "json": "json"}
#: (proposal, option, atom, golden stem) for the single-atom questions.
QUESTIONS = (
    ("guaranteed_guarantees", "--why", "risk(low)", "guaranteed_guarantees.why-risk-low"),
    ("european_reassurance_force", "--why-not", "credible", "european_reassurance_force.why-not-credible"),
)


@pytest.fixture(scope="module")
def traced() -> argmap.Argmap:
    """A knowledge base with every rule traced, grounded once for the module."""
    return argmap.Argmap(trace=True)


@pytest.fixture(scope="module")
def loaded(traced: argmap.Argmap) -> dict[str, argmap.Proposal]:
    return {p.id: p for p in traced.load_all([str(ROOT / "proposals")])}


@pytest.fixture(scope="module")
def explained(traced: argmap.Argmap, loaded: dict[str, argmap.Proposal]) -> dict[str, Explanation]:
    """The default explanation (every verdict) of every example proposal."""
    return {pid: explain(traced.engine, p, traced.claims) for pid, p in loaded.items()}


def walk(node: Node) -> Iterator[tuple[Node | None, Node]]:
    """Every (parent, node) pair of a tree, root first (its parent is None)."""
    stack: list[tuple[Node | None, Node]] = [(None, node)]
    while stack:
        parent, n = stack.pop()
        yield parent, n
        stack.extend((n, c) for c in reversed(n.children))


def nodes(ex: Explanation) -> Iterator[tuple[Node | None, Node]]:
    for _, tree in ex.items:
        yield from walk(tree)


def cli(*args: str) -> Result:
    # Imported here so that the API tests still run while the command line is being edited.
    from click.testing import CliRunner

    from argmap.cli import main

    return CliRunner().invoke(main, list(args))


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the repository root, so that file names in the output are relative and stable."""
    monkeypatch.chdir(ROOT)


def _line(where: str) -> str:
    path, number = where.rsplit(":", 1)
    lines = (ROOT / path).read_text(encoding="utf-8").splitlines()
    assert 1 <= int(number) <= len(lines), f"{where}: no such line"
    return lines[int(number) - 1]


def _name(atom: str) -> str:
    match = re.match(r"[a-z_][A-Za-z0-9_]*", atom)
    assert match, atom
    return match.group(0)


# ---------------------------------------------------------------- golden output
@pytest.mark.usefixtures("in_repo")
@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("pid", GOLDEN_PROPOSALS)
def test_explain_matches_golden(pid: str, fmt: str, golden: Callable[[str, str], None]) -> None:
    result = cli("explain", f"proposals/{pid}.yaml", "--format", fmt)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    if fmt == "json":
        json.loads(result.stdout)  # valid JSON before it is compared
    golden(f"explain/{pid}.{FORMATS[fmt]}", result.stdout)


@pytest.mark.usefixtures("in_repo")
@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize(("pid", "option", "atom", "stem"), QUESTIONS, ids=[q[3] for q in QUESTIONS])
def test_explain_question_matches_golden(
    pid: str, option: str, atom: str, stem: str, fmt: str, golden: Callable[[str, str], None]
) -> None:
    result = cli("explain", f"proposals/{pid}.yaml", option, atom, "--format", fmt)
    assert result.exit_code == 0, result.output
    golden(f"explain/{stem}.{FORMATS[fmt]}", result.stdout)


def test_the_golden_fixture_fails_on_a_missing_or_different_file(
    request: pytest.FixtureRequest, golden: Callable[[str, str], None]
) -> None:
    if request.config.getoption("--update-golden"):
        pytest.skip("with --update-golden the fixture writes instead of comparing")
    with pytest.raises(pytest.fail.Exception, match="is missing"):
        golden("explain/no-such-file.txt", "text\n")
    assert not (ROOT / "tests" / "golden" / "explain" / "no-such-file.txt").exists()
    expected = (ROOT / "tests" / "golden" / "explain" / "guaranteed_guarantees.why-risk-low.txt").read_text()
    golden("explain/guaranteed_guarantees.why-risk-low.txt", expected)  # the same text passes
    with pytest.raises(pytest.fail.Exception, match=r"(?s)--- .*\(golden\).*\+\+\+ .*\(actual\).*\+risk: high"):
        golden("explain/guaranteed_guarantees.why-risk-low.txt", expected.replace("risk: low", "risk: high"))


@pytest.mark.usefixtures("in_repo")
def test_cli_text_is_the_api_rendering(traced: argmap.Argmap) -> None:
    # The command adds nothing to what the API renders: a golden file also pins the API.
    p = traced.load("proposals/european_reassurance_force.yaml")
    text = explanation_text(explain(traced.engine, p, traced.claims, why_not="credible"))
    assert cli("explain", "proposals/european_reassurance_force.yaml", "--why-not", "credible").stdout == text


# ---------------------------------------------------------------- the tree
@pytest.mark.parametrize("pid", IDS)
def test_every_verdict_is_explained(explained: dict[str, Explanation], pid: str, traced: argmap.Argmap) -> None:
    ex = explained[pid]
    labels = [label for label, _ in ex.items]
    assert labels[:4] == ["consistent", "credible", "feasible now", "precondition"]
    assert set(labels[4:]) == {"risk"}
    risks = {tree.atom for label, tree in ex.items if label == "risk"}
    verdict = traced.check(ex.proposal)
    assert risks == {f"risk({level})" for level in verdict.risk}
    # A verdict that holds in no completion is explained by why-not, otherwise by why.
    values = {"consistent": verdict.consistent, "credible": verdict.credible}
    values |= {"feasible now": verdict.feasible_now, "precondition": verdict.precondition_met}
    for label, tree in ex.items[:4]:
        assert tree.holds == (values[label] != "none"), (label, tree.atom)
        assert tree.kind == ("derived" if tree.holds else "blocked")


@pytest.mark.parametrize("pid", IDS)
def test_the_tree_reaches_the_proposals_inputs(explained: dict[str, Explanation], pid: str) -> None:
    ex = explained[pid]
    given = {f"set({k},{v})" for k, v in ex.proposal.settings} | {f"open({k})" for k in ex.proposal.open}
    inputs = [n for _, n in nodes(ex) if n.kind == "input"]
    assert inputs, "no explanation goes down to the proposal's components"
    for n in inputs:
        assert not n.children
        # What holds is what the proposal gives; what does not hold, it does not give.
        assert (n.atom in given) == n.holds, (n.atom, n.holds)
    if ex.proposal.settings and pid != "nato_promise_alone":  # that one is explained by what it lacks
        assert any(n.holds for n in inputs)


def test_the_credibility_tree_names_the_components_it_rests_on(explained: dict[str, Explanation]) -> None:
    ex = explained["european_reassurance_force"]
    tree = dict(ex.items)["credible"]
    inputs = {n.atom for _, n in walk(tree) if n.kind == "input"}
    assert "set(guarantors,coalition_of_the_willing)" in inputs
    claims = {n.claim for _, n in walk(tree) if n.kind == "claim"}
    assert {"eu_needs_us", "guaranteed_guarantees"} <= claims
    # The US involvement that would make it credible is missing: said in words, not as `not feature(...)`.
    absent = [n for _, n in walk(tree) if n.kind == "absent"]
    assert any(n.text == "the proposal does not provide US involvement" for n in absent)


@pytest.mark.parametrize("pid", IDS)
def test_claims_carry_their_verbatim_quote(explained: dict[str, Explanation], traced: argmap.Argmap, pid: str) -> None:
    source = normalise(SOURCE.read_text(encoding="utf-8"))
    seen = 0
    for _, n in nodes(explained[pid]):
        if n.kind != "claim":
            continue
        seen += 1
        claim = traced.claims[n.claim]
        assert n.quote == claim.quote
        if n.holds:
            assert n.text == claim.paraphrase
        for passage in claim.quotes:
            assert normalise(passage) in source, f"{n.claim}: quote not in the source text"
    # A verdict that holds by default (no claim against it) may use no claim; one that fails names them.
    fails = any(not tree.holds or tree.atom == "risk(high)" for _, tree in explained[pid].items)
    assert seen or not fails


@pytest.mark.parametrize("pid", IDS)
def test_every_rule_reference_points_at_its_rule(explained: dict[str, Explanation], pid: str) -> None:
    for parent, n in nodes(explained[pid]):
        if n.kind in ("derived", "fact"):
            assert n.rule, f"{n.atom} has no rule"
            assert re.fullmatch(r"(rules|facts)/[a-z_]+\.lp:\d+", n.rule), n.rule
            assert _name(n.atom) in _line(n.rule), f"{n.rule} does not derive {n.atom}: {_line(n.rule)!r}"
        elif n.kind == "rule":
            # A rule that could derive the parent's atom but does not apply.
            assert parent is not None and n.rule
            assert _name(parent.atom) in _line(n.rule), f"{n.rule} cannot derive {parent.atom}"
            assert n.text == f"the rule at {n.rule} does not apply"


@pytest.mark.parametrize("pid", IDS)
def test_negation_is_in_words(explained: dict[str, Explanation], pid: str) -> None:
    for _, n in nodes(explained[pid]):
        assert not n.text.startswith("not "), n.text
        assert "does not hold" not in n.text, f"no words for {n.atom}: {n.text}"
        assert n.text != n.atom
        if n.kind == "absent":
            assert n.atom.startswith("not ")


def test_why_risk_low_and_why_not_credible(traced: argmap.Argmap, loaded: dict[str, argmap.Proposal]) -> None:
    why = explain(traced.engine, loaded["guaranteed_guarantees"], traced.claims, why="risk(low)")
    [(label, tree)] = why.items
    assert (label, tree.atom, tree.holds, tree.kind) == ("risk(low)", "risk(low)", True, "derived")
    assert {c.atom for c in tree.children} == {"not risk(high)", "not risk(medium)"}
    why_not = explain(traced.engine, loaded["european_reassurance_force"], traced.claims, why_not="credible")
    [(label, tree)] = why_not.items
    assert (label, tree.holds, tree.kind) == ("credible", False, "blocked")
    assert [c.kind for c in tree.children] == ["rule"]
    assert why.conflict_sets == why_not.conflict_sets == []


# ---------------------------------------------------------------- bad questions
@pytest.mark.parametrize(
    ("pid", "option", "atom", "message"),
    [
        ("guaranteed_guarantees", "why", "risk(high)", "risk(high) does not hold for this proposal; ask --why-not"),
        ("european_reassurance_force", "why", "credible", "credible does not hold for this proposal"),
        ("guaranteed_guarantees", "why_not", "credible", "credible holds for this proposal; ask --why instead"),
        ("neutral_yet_nato", "why_not", "risk(high)", "risk(high) holds for this proposal"),
    ],
    ids=["why-risk-high", "why-credible", "why-not-credible", "why-not-risk-high"],
)
def test_a_question_about_the_wrong_side_is_an_input_error(
    traced: argmap.Argmap, loaded: dict[str, argmap.Proposal], pid: str, option: str, atom: str, message: str
) -> None:
    with pytest.raises(InputError, match=re.escape(message)):
        explain(traced.engine, loaded[pid], traced.claims, **{option: atom})


@pytest.mark.usefixtures("in_repo")
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--why", "risk(high)"], "risk(high) does not hold for this proposal; ask --why-not instead"),
        (["--why-not", "credible"], "credible holds for this proposal; ask --why instead"),
        (["--why", "credible("], "'credible(' is not an atom"),
        (["--why-not", 'x"). y'], "'x\"). y' is not an atom"),
    ],
    ids=["why-false", "why-not-true", "open-paren", "injection"],
)
def test_bad_questions_exit_2_with_a_message(args: list[str], message: str) -> None:
    result = cli("explain", "proposals/guaranteed_guarantees.yaml", *args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.startswith("argmap: ")
    assert message in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("text", ["credible(", 'x"). y', "Credible", "risk(high", "risk(X)", "1", "", "a :- b"])
def test_parse_atom_refuses_what_is_not_a_ground_atom(text: str) -> None:
    with pytest.raises(InputError, match="is not an atom"):
        parse_atom(text)


def test_parse_atom_accepts_atoms() -> None:
    assert str(parse_atom(" risk(high) ")) == "risk(high)"
    assert str(parse_atom("credible")) == "credible"


# ---------------------------------------------------------------- inconsistent and open proposals
@pytest.mark.parametrize(
    ("pid", "conflict"),
    [
        ("neutral_yet_nato", (("nato_path", "irreversible_path"), ("neutrality", "permanent"))),
        ("troop_ban_with_contingent", (("foreign_troops_banned", "true"), ("western_contingent", "tripwire"))),
    ],
)
def test_an_inconsistent_proposal_lists_its_minimal_conflicting_set(
    explained: dict[str, Explanation], pid: str, conflict: tuple[tuple[str, str], ...]
) -> None:
    ex = explained[pid]
    assert ex.conflict_sets == [conflict]
    text = explanation_text(ex)
    assert "Minimal sets of components that cannot hold together:" in text
    assert "  - " + ", ".join(f"{k}={v}" for k, v in conflict) + "\n" in text
    assert re.search(r"^consistent: no$", text, flags=re.MULTILINE)


@pytest.mark.usefixtures("in_repo")
def test_the_tree_format_lists_the_conflicting_set_too() -> None:
    result = cli("explain", "proposals/neutral_yet_nato.yaml", "--format", "tree")
    assert result.exit_code == 0
    assert "nato_path=irreversible_path" in result.stdout


def test_a_consistent_proposal_lists_no_conflicting_set(explained: dict[str, Explanation]) -> None:
    for pid in ("guaranteed_guarantees", "european_reassurance_force", "taiwan_style_law"):
        assert explained[pid].conflict_sets == []
        assert "cannot hold together" not in explanation_text(explained[pid])


def test_an_open_proposal_qualifies_what_holds_in_some_completions(explained: dict[str, Explanation]) -> None:
    ex = explained["taiwan_style_law"]
    text = explanation_text(ex)
    assert "  open aspects: us_role (every completion considered)" in text
    for line in ("credible: yes (in some completions only)", "risk: high (in some completions only)"):
        assert re.search(rf"^{re.escape(line)}$", text, flags=re.MULTILINE), line
    assert re.search(r"^risk: low \(in some completions only\)$", text, flags=re.MULTILINE)
    # What holds in every completion is not qualified.
    assert re.search(r"^consistent: yes$", text, flags=re.MULTILINE)
    assert re.search(r"^feasible now: no$", text, flags=re.MULTILINE)
    trees = dict(ex.items)
    assert trees["credible"].qualifier == "some"
    assert trees["consistent"].qualifier is None
    # What holds in every completion is justified from what holds in every completion: the
    # US participation obstacle rests on lead=us, not on US troops chosen in some completions.
    assert "set(lead,us)" in {n.atom for _, n in nodes(ex) if n.kind == "input"}


@pytest.fixture(scope="module")
def taiwan_completions(traced: argmap.Argmap, loaded: dict[str, argmap.Proposal]) -> tuple[set[str], set[str]]:
    """The atoms of taiwan_style_law in some and in every completion, computed without open/1.

    Every subset of us_role values is tried as a closed proposal; a subset that
    brings a conflict involving us_role is not a completion (rules/proposal.lp).
    """
    p = loaded["taiwan_style_law"]
    values = traced.engine.vocabulary.components["us_role"].values
    per_completion: list[set[str]] = []
    for n in range(len(values) + 1):
        for chosen in itertools.combinations(values, n):
            q = replace(p, settings=tuple(sorted((*p.settings, *(("us_role", v) for v in chosen)))), open=())
            verdict = traced.check(q)
            if any(k == "us_role" for c in verdict.conflicts for k, _ in c.components):
                continue
            answer = traced.engine.solve(traced.engine.assumptions(q), fired=True)
            per_completion.append({str(a) for a in answer.atoms if a.name not in ("set", "open")})
    assert len(per_completion) == 64  # every subset of the six roles other than none
    union, every = set.union(*per_completion), set.intersection(*per_completion)
    return union - every, every


def test_every_derived_atom_that_holds_in_some_completions_only_is_qualified(
    explained: dict[str, Explanation], taiwan_completions: tuple[set[str], set[str]]
) -> None:
    some, _ = taiwan_completions
    derived = [n for _, n in nodes(explained["taiwan_style_law"]) if n.kind == "derived" and n.holds]
    unqualified = sorted({n.atom for n in derived if n.atom in some and n.qualifier != "some"})
    assert unqualified == []


def test_qualified_atoms_do_hold_in_some_completions_only(
    explained: dict[str, Explanation], taiwan_completions: tuple[set[str], set[str]]
) -> None:
    some, every = taiwan_completions
    qualified = {n.atom for _, n in nodes(explained["taiwan_style_law"]) if n.qualifier == "some"}
    assert qualified, "no qualifier at all"
    assert "credible" in qualified
    assert qualified <= some
    assert not qualified & every


def test_what_holds_in_every_completion_rests_on_what_holds_in_every_completion(
    explained: dict[str, Explanation], taiwan_completions: tuple[set[str], set[str]]
) -> None:
    some, every = taiwan_completions
    bad = [
        (parent.atom, n.atom)
        for parent, n in nodes(explained["taiwan_style_law"])
        if parent is not None and parent.kind == "derived" and parent.atom in every and n.atom in some
    ]
    assert bad == []
