"""Explanations: justification trees from the rules that fired, why-not, words, golden output."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import replace

import clingo
import pytest
from click.testing import Result

import argmap
from argmap import InputError
from argmap.analysis.explain import explain, parse_atom
from argmap.model.explanation import Explanation, Node
from argmap.render.explain import explanation_text
from cli_runner import run
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
def explained(app: argmap.Argmap, proposals: dict[str, argmap.Proposal]) -> dict[str, Explanation]:
    """The default explanation (every verdict) of every example proposal."""
    return {pid: explain(app.traced, p) for pid, p in proposals.items()}


def walk(node: Node) -> Iterator[tuple[Node | None, Node]]:
    """Every (parent, node) pair of a tree, root first (its parent is None)."""
    stack: list[tuple[Node | None, Node]] = [(None, node)]
    while stack:
        parent, n = stack.pop()
        yield parent, n
        stack.extend((n, c) for c in reversed(n.children))


def nodes(ex: Explanation) -> Iterator[tuple[Node | None, Node]]:
    for item in ex.items:
        yield from walk(item.node)


def trees(ex: Explanation) -> dict[str, Node]:
    """The explanation of each verdict, by label (the first one, for a verdict explained more than once)."""
    out: dict[str, Node] = {}
    for item in ex.items:
        out.setdefault(item.label, item.node)
    return out


def cli(*args: str) -> Result:
    return run(*args)


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the repository root, so that file names in the output are relative and stable."""
    monkeypatch.chdir(ROOT)


def _line(where: str) -> str:
    """The line a rule reference names: a knowledge-base file, or argmap's own (``argmap:prelude.lp``)."""
    path, number = where.rsplit(":", 1)
    file = ROOT / "src" / "argmap" / "lp" / path.removeprefix("argmap:") if path.startswith("argmap:") else ROOT / path
    lines = file.read_text(encoding="utf-8").splitlines()
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
    assert "risk(low): yes" in expected
    with pytest.raises(pytest.fail.Exception, match=r"(?s)--- .*\(golden\).*\+\+\+ .*\(actual\).*\+risk\(low\): no"):
        golden("explain/guaranteed_guarantees.why-risk-low.txt", expected.replace("risk(low): yes", "risk(low): no"))


@pytest.mark.usefixtures("in_repo")
def test_cli_text_is_the_api_rendering(app: argmap.Argmap) -> None:
    # The command adds nothing to what the API renders: a golden file also pins the API.
    p = app.load("proposals/european_reassurance_force.yaml")
    text = explanation_text(explain(app.traced, p, why_not="credible"))
    assert cli("explain", "proposals/european_reassurance_force.yaml", "--why-not", "credible").stdout == text


# ---------------------------------------------------------------- the tree
def expected_items(v: argmap.Verdict) -> list[tuple[str, str, str, bool, str | None]]:
    """(label, value, atom, holds somewhere, qualifier) for each explanation of the verdicts, as check
    reports them: a bool verdict's atom; each level reached, worst first; each member reached, or none.
    What holds in some completions only is qualified "some"."""
    out: list[tuple[str, str, str, bool, str | None]] = []
    for o in v.outcomes:
        spec = o.spec
        some = {value: "some" if how == "some" else None for value, how in o.values}
        if spec.kind == "bool":
            holds = o.truth != "none"
            word = spec.word("true" if holds else "false")
            out.append((spec.label, word, spec.name, holds, "some" if o.truth == "some" else None))
            continue
        values = sorted(o.reached, key=spec.rank, reverse=True) if spec.kind == "level" else o.reached
        out += [(spec.label, spec.word(x), f"{spec.name}({x})", True, some[x]) for x in values]
        if not values:
            out.append((spec.label, "no", f"{spec.name}(_)", False, None))
    return out


@pytest.mark.parametrize("pid", IDS)
def test_every_verdict_is_explained(explained: dict[str, Explanation], pid: str, app: argmap.Argmap) -> None:
    ex = explained[pid]
    got = [(item.label, item.value, item.node.atom, item.node.holds, item.node.qualifier) for item in ex.items]
    assert got == expected_items(app.check(ex.proposal))
    for item in ex.items:
        # A verdict that holds in no completion is explained by why-not, otherwise by why.
        assert item.node.kind == ("derived" if item.node.holds else "blocked"), item.node.atom


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
    tree = trees(ex)["credible"]
    inputs = {n.atom for _, n in walk(tree) if n.kind == "input"}
    assert "set(guarantors,coalition_of_the_willing)" in inputs
    claims = {n.claim for _, n in walk(tree) if n.kind == "claim"}
    assert {"eu_needs_us", "guaranteed_guarantees"} <= claims
    # The US involvement that would make it credible is missing: said in words, not as `not feature(...)`.
    absent = [n for _, n in walk(tree) if n.kind == "absent"]
    assert any(n.text == "the proposal does not provide US involvement" for n in absent)


@pytest.mark.parametrize("pid", IDS)
def test_claims_carry_their_verbatim_quote(explained: dict[str, Explanation], app: argmap.Argmap, pid: str) -> None:
    source = normalise(SOURCE.read_text(encoding="utf-8"))
    seen = 0
    for _, n in nodes(explained[pid]):
        if n.kind != "claim":
            continue
        seen += 1
        claim = app.claims[n.claim]
        assert n.quote == claim.quote
        if n.holds:
            assert n.text == claim.paraphrase
        for passage in claim.quotes:
            assert normalise(passage) in source, f"{n.claim}: quote not in the source text"
    # A verdict that is good by default (no claim against it) may use no claim; one that is bad names them.
    fails = any(not o.good for o in app.check(explained[pid].proposal).outcomes)
    assert seen or not fails


@pytest.mark.parametrize("pid", IDS)
def test_every_rule_reference_points_at_its_rule(explained: dict[str, Explanation], pid: str) -> None:
    for parent, n in nodes(explained[pid]):
        if n.kind in ("derived", "fact"):
            assert n.rule, f"{n.atom} has no rule"
            assert re.fullmatch(r"(rules/|facts/|argmap:)[a-z_]+\.lp:\d+", n.rule), n.rule
            assert _name(n.atom) in _line(n.rule), f"{n.rule} does not derive {n.atom}: {_line(n.rule)!r}"
        elif n.kind == "rule":
            # A rule that could derive the parent's atom (or, under `not p`, p) but does not apply;
            # named by its claim when it has one.
            assert parent is not None and n.rule
            atom = parent.atom.removeprefix("not ")
            assert _name(atom) in _line(n.rule), f"{n.rule} cannot derive {atom}"
            assert n.text == (f"[{n.claim}] does not apply" if n.claim else f"the rule at {n.rule} does not apply")


@pytest.mark.parametrize("pid", IDS)
def test_negation_is_in_words(explained: dict[str, Explanation], pid: str) -> None:
    for _, n in nodes(explained[pid]):
        assert not n.text.startswith("not "), n.text
        assert "does not hold" not in n.text, f"no words for {n.atom}: {n.text}"
        assert n.text != n.atom
        if n.kind == "absent":
            assert n.atom.startswith("not ")


def test_why_risk_low_and_why_not_credible(app: argmap.Argmap, proposals: dict[str, argmap.Proposal]) -> None:
    why = explain(app.traced, proposals["guaranteed_guarantees"], why="risk(low)")
    [item] = why.items
    tree = item.node
    assert (item.label, item.value, tree.atom, tree.holds, tree.kind) == (
        "risk(low)",
        "yes",
        "risk(low)",
        True,
        "derived",
    )
    assert {c.atom for c in tree.children} == {"not risk(high)", "not risk(medium)"}
    why_not = explain(app.traced, proposals["european_reassurance_force"], why_not="credible")
    [item] = why_not.items
    tree = item.node
    assert (item.label, item.value, tree.holds, tree.kind) == ("credible", "no", False, "blocked")
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
    app: argmap.Argmap, proposals: dict[str, argmap.Proposal], pid: str, option: str, atom: str, message: str
) -> None:
    with pytest.raises(InputError, match=re.escape(message)):
        explain(app.traced, proposals[pid], **{option: atom})


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
def test_parse_atom_refuses_what_is_not_a_ground_atom(app: argmap.Argmap, text: str) -> None:
    with pytest.raises(InputError, match="is not an atom") as info:
        parse_atom(text, app.traced)
    assert "credible" in str(info.value.expected)  # an example from the knowledge base's own verdicts


def test_parse_atom_accepts_atoms(app: argmap.Argmap) -> None:
    assert str(parse_atom(" risk(high) ", app.traced)) == "risk(high)"
    assert str(parse_atom("credible", app.traced)) == "credible"
    assert str(parse_atom('warning(window(1),russia_resumes_war,"x")', app.traced)) == (
        'warning(window(1),russia_resumes_war,"x")'
    )


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [("credibel", "credible/0"), ("risk(high,now)", "risk/1"), ("feasible", "feasible_now/0"), ("zzzz", None)],
    ids=["typo", "arity", "prefix", "nothing-near"],
)
def test_parse_atom_refuses_an_unknown_predicate(app: argmap.Argmap, text: str, suggestion: str | None) -> None:
    with pytest.raises(InputError, match=r"no predicate \S+ occurs in the knowledge base") as info:
        parse_atom(text, app.traced)
    assert info.value.suggestion == suggestion


@pytest.mark.usefixtures("in_repo")
def test_an_unknown_predicate_exits_2_with_did_you_mean() -> None:
    result = cli("explain", "proposals/guaranteed_guarantees.yaml", "--why", "credibel")
    assert result.exit_code == 2, result.output
    assert "did you mean 'credible/0'?" in result.stderr


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


def test_an_absent_setting_rests_on_the_setting_not_given_not_on_a_value_beside_it(
    explained: dict[str, Explanation],
) -> None:
    """guaranteed_guarantees sets us_role [intelligence, backstop] and lead european: a list
    component's other values do not keep `none` out (they could stand beside it); a one-value
    component's value does keep `us` out, so it is named too."""
    children = {n.atom: [c.atom for c in n.children] for _, n in nodes(explained["guaranteed_guarantees"])}
    assert children["has(us_role,none)"] == ["set(us_role,none)"]
    assert children["has(lead,us)"] == ["set(lead,us)", "has(lead,european)"]
    assert children["has(guarantors,us)"] == ["set(guarantors,us)"]
    # taiwan_style_law leaves us_role open: a completion chooses, so no setting is "not given".
    left_open = {n.atom: [c.atom for c in n.children] for _, n in nodes(explained["taiwan_style_law"])}
    assert left_open["has(us_role,none)"] == []


def test_a_consistent_proposal_lists_no_conflicting_set(explained: dict[str, Explanation]) -> None:
    for pid in ("guaranteed_guarantees", "european_reassurance_force", "taiwan_style_law"):
        assert explained[pid].conflict_sets == []
        assert "cannot hold together" not in explanation_text(explained[pid])


@pytest.mark.usefixtures("in_repo")
def test_a_long_list_of_open_aspects_is_wrapped_like_every_other_line(tmp_path) -> None:
    keys = ["us_role", "military_aid", "legal_form", "activation", "duration", "periodic_review", "model"]
    path = tmp_path / "many_open.yaml"
    yaml_text = f"title: Many aspects open\nsource: a test\nlead: us\nopen: [{', '.join(keys)}]\n"
    path.write_text(yaml_text, encoding="utf-8")
    for command in ("check", "explain"):
        result = cli(command, str(path))
        assert result.exit_code in (0, 1), result.output  # 1: a verdict fails, which is not the point here
        lines = result.stdout.splitlines()
        start = next(i for i, line in enumerate(lines) if line.startswith("  open aspects: "))
        shown = " ".join(line.strip() for line in lines[start : start + 3])
        assert all(k in shown for k in keys), shown
        assert lines[start + 1].startswith("    "), lines[start : start + 2]  # a continuation, hung under it
        assert max(len(line) for line in lines[start : start + 3]) <= 88


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
    assert trees(ex)["credible"].qualifier == "some"
    assert trees(ex)["consistent"].qualifier is None
    # What holds in every completion is justified from what holds in every completion: the
    # US participation obstacle rests on lead=us, not on US troops chosen in some completions.
    assert "set(lead,us)" in {n.atom for _, n in nodes(ex) if n.kind == "input"}


@pytest.fixture(scope="module")
def taiwan_completions(app: argmap.Argmap, proposals: dict[str, argmap.Proposal]) -> tuple[set[str], set[str]]:
    """The atoms of taiwan_style_law in some and in every completion, computed without open/1.

    Every subset of us_role values is tried as a closed proposal; a subset that
    brings a conflict involving us_role is not a completion (argmap's prelude).
    """
    p = proposals["taiwan_style_law"]
    values = app.vocabulary.components["us_role"].values
    per_completion: list[set[str]] = []
    for n in range(len(values) + 1):
        for chosen in itertools.combinations(values, n):
            q = replace(p, settings=tuple(sorted((*p.settings, *(("us_role", v) for v in chosen)))), open=())
            if any(k == "us_role" for c in app.check(q).conflicts for k, _ in c.components):
                continue
            answer = app.engine.solve(app.engine.assumptions(q), fired=True)  # every atom, not only the shown
            per_completion.append({str(a) for a in answer.atoms if a.name not in ("set", "open", "coherent_only")})
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


# ---------------------------------------------------------------- check and explain agree
def _term(text: str) -> clingo.Symbol:
    return clingo.parse_term(text)


def reported(v: argmap.Verdict) -> tuple[list[tuple[str, str]], list[str]]:
    """What `check` reports as (atom, how it holds), and the verdict atoms it reports as not holding.

    Each outcome's verdict atoms (a bool verdict's atom, each level and member reached) and every
    reason, conflict (with its components), warning and note, as the atoms the knowledge base shows.
    """
    fn, string = clingo.Function, clingo.String
    holding: list[tuple[str, str]] = []
    missing: list[str] = []
    for o in v.outcomes:
        if o.spec.kind == "bool":
            atoms = [(o.name, o.truth)]
        else:
            atoms = [(f"{o.name}({value})", o.holds(value)) for value in o.spec.values]
        holding += [(atom, how) for atom, how in atoms if how != "none"]
        missing += [atom for atom, how in atoms if how == "none"]
    for r in v.reasons:
        args = [_term(r.verdict), _term(r.effect), _term(r.basis), string(r.template or r.text)]
        holding.append((str(fn("reason", args)), r.holds))
    for c in v.conflicts:
        holding.append((str(fn("conflict", [_term(c.id), _term(c.basis), string(c.template or c.text)])), c.holds))
        holding += [(f"involves({c.id},{k},{val})", c.holds) for k, val in c.components]
    for name, findings in (("warning", v.warnings), ("note", v.notes)):
        for w in findings:
            holding.append((str(fn(name, [_term(w.id), _term(w.basis), string(w.template or w.text)])), w.holds))
    return holding, missing


@pytest.mark.parametrize("pid", IDS)
def test_explain_confirms_every_atom_check_reports(app: argmap.Argmap, pid: str) -> None:
    p = app.load(str(ROOT / "proposals" / f"{pid}.yaml"))
    holding, missing = reported(app.check(p))
    assert holding and missing
    for atom, how in holding:
        [item] = app.explain(p, why=atom).items
        assert (item.node.atom, item.node.holds) == (atom, True), atom
        # What holds in some completions only is qualified as such.
        assert item.node.qualifier == ("some" if how == "some" else None), atom
    for atom in missing:
        [item] = app.explain(p, why_not=atom).items
        assert (item.node.atom, item.node.holds) == (atom, False), atom


def test_the_roadmap_window_is_confirmed_by_explain(app: argmap.Argmap) -> None:
    # Once reported by check and denied by explain, which judged the roadmap's final phase alone.
    p = app.load(str(ROOT / "proposals" / "roadmap_neutral_then_nato.yaml"))
    [window] = [w for w in app.check(p).warnings if w.id == "window(1)"]
    atom = f'warning(window(1),{window.basis},"{window.text}")'
    [item] = app.explain(p, why=atom).items
    assert item.node.holds and item.node.kind == "derived"
    inputs = {n.atom for _, n in walk(item.node) if n.kind == "input"}
    assert {"roadmap_phase(1)", "phase_timing(1,at_ceasefire)"} <= inputs
    with pytest.raises(InputError, match="holds for this proposal"):
        app.explain(p, why_not=atom)


# ---------------------------------------------------------------- verdicts that hold (issue 12, §2)
def _support(tree: Node) -> dict[str, list[Node]]:
    """The support groups under a verdict's tree, by heading."""
    return {c.text: c.children for c in tree.children if c.kind == "support"}


def _rules_under_not(tree: Node) -> dict[str, list[Node]]:
    """For each `not p` directly under the tree's root: the rules that could derive p (the dual)."""
    return {c.atom: c.children for c in tree.children if c.kind == "absent"}


def test_a_credible_verdict_lists_its_pros_with_claims_and_quotes(
    explained: dict[str, Explanation], app: argmap.Argmap
) -> None:
    tree = trees(explained["guaranteed_guarantees"])["credible"]
    [pros] = _support(tree).values()
    assert "For credibility" in _support(tree)
    claims = {n.claim for p in pros for _, n in walk(p) if n.kind == "claim"}
    # what `check` lists under "For credibility"
    listed = {r.basis for r in app.check(explained["guaranteed_guarantees"].proposal).reasons_for("credible")}
    assert listed <= claims
    assert {"contingent_needed", "eu_needs_us", "guaranteed_guarantees"} <= claims
    for p in pros:
        assert p.atom.startswith("reason(credible,pro,") and p.holds


def test_each_claim_that_could_defeat_credibility_says_why_it_does_not_apply(
    explained: dict[str, Explanation], app: argmap.Argmap
) -> None:
    tree = trees(explained["guaranteed_guarantees"])["credible"]
    dual = _rules_under_not(tree)["not reason(credible,con,_,_)"]
    by_claim = {r.claim: r for r in dual if r.claim}
    # every con rule of credibility that names a claim is there, with its quote
    assert {"eu_needs_us", "guaranteed_guarantees", "contingent_needed", "russia_no_veto"} <= set(by_claim)
    for cid, rule in by_claim.items():
        assert rule.kind == "rule" and not rule.holds
        assert rule.text == f"[{cid}] does not apply"
        assert rule.quote == app.claims[cid].quote
        assert rule.would and rule.children
    # [eu_needs_us] does not apply: the US is involved, us_role = backstop
    eu = by_claim["eu_needs_us"]
    assert eu.would == "the European guarantee has no US involvement, so it would look unconvincing to Russia"
    [involved] = [c for c in eu.children if c.atom == "feature(us_involved)"]
    assert involved.holds and "set(us_role,backstop)" in {n.atom for _, n in walk(involved) if n.kind == "input"}


@pytest.mark.usefixtures("in_repo")
def test_the_text_says_why_a_defeater_does_not_apply() -> None:
    out = cli("explain", "proposals/guaranteed_guarantees.yaml").stdout
    credible = out[out.index("\ncredible: yes") : out.index("\nrisk: ")]
    flat = " ".join(credible.split())
    assert "no accepted claim counts against credibility: - [eu_needs_us] does not apply; it would find that" in flat
    assert "“the security guarantees it provided would have looked unconvincing to Russia without US involvement”" in (
        flat
    )
    assert "- the proposal provides US involvement (rules/proposal.lp:" in flat
    assert "the proposal sets us role to backstop" in flat
    assert "For credibility: + a Western contingent is on the ground" in flat


@pytest.mark.parametrize(
    ("label", "negated", "claim"),
    [
        ("risk", "not risk(high)", "russia_resumes_war"),
        ("feasible now", "not obstacle(_,_,_)", "us_support_decisive"),
        ("precondition", "not reason(precondition_met,con,_,_)", "poll_64"),
    ],
)
def test_every_good_verdict_explains_the_rules_that_fail(
    explained: dict[str, Explanation], label: str, negated: str, claim: str
) -> None:
    tree = trees(explained["guaranteed_guarantees"])[label]
    assert tree.holds
    dual = _rules_under_not(tree)[negated]
    assert dual and all(r.kind == "rule" for r in dual)
    assert claim in {n.claim for r in dual for _, n in walk(r) if n.kind == "rule"}
    # each failing rule names the literal that fails it
    for r in dual:
        assert r.children or r.see_above, r.text


@pytest.mark.parametrize("pid", IDS)
def test_every_negation_in_a_justification_is_taken_apart(
    explained: dict[str, Explanation], app: argmap.Argmap, pid: str
) -> None:
    """Each `not p` a justification rests on lists the rules that could derive p (none are left
    unexplained), unless only the prelude derives p (has/2: said in words) or it was taken apart above."""
    index = app.traced.index
    for _, n in nodes(explained[pid]):
        if n.kind != "absent" or n.see_above:
            continue
        sym = clingo.parse_term(re.sub(r"(?<=[(,])_(?=[,)])", '"_"', n.atom.removeprefix("not ")))
        heads = index.heads(sym.name, len(sym.arguments))
        if all(index.rules[i].engine for i, _ in heads):
            continue
        assert n.children, f"{pid}: {n.atom} ({n.text}) is not taken apart"


def test_a_roadmap_verdict_that_holds_is_explained_by_its_duals(explained: dict[str, Explanation]) -> None:
    ex = explained["roadmap_stages_before_ceasefire"]
    tree = trees(ex)["credible"]
    assert tree.holds
    dual = _rules_under_not(tree)["not reason(credible,con,_,_)"]
    assert {"eu_needs_us", "guaranteed_guarantees"} <= {r.claim for r in dual}
    assert _support(tree)


@pytest.mark.usefixtures("in_repo")
def test_tree_and_json_carry_the_duals() -> None:
    tree = cli("explain", "proposals/guaranteed_guarantees.yaml", "--format", "tree").stdout
    assert "✓ not reason(credible,con,_,_)" in tree
    assert "✗ [eu_needs_us] rule  [rules/credibility.lp:" in tree
    assert "+ For credibility" in tree
    data = json.loads(cli("explain", "proposals/guaranteed_guarantees.yaml", "--format", "json").stdout)
    [credible] = [e for e in data["explanations"] if e["question"] == "credible"]
    children = credible["tree"]["children"]
    [absent] = [c for c in children if c["kind"] == "absent"]
    eu = next(r for r in absent["children"] if r.get("claim") == "eu_needs_us")
    assert eu["kind"] == "rule" and eu["quote"] and eu["would"]
    assert any(c["kind"] == "support" for c in children)


def test_an_atom_is_taken_apart_once_per_explanation(explained: dict[str, Explanation]) -> None:
    ex = explained["guaranteed_guarantees"]
    expanded: list[tuple[str, bool]] = []
    for _, n in nodes(ex):
        if n.kind in ("derived", "blocked") and n.children and not n.rule.startswith("argmap:") if n.rule else False:
            expanded.append((n.atom, n.holds))
    assert len(expanded) == len(set(expanded)), [a for a in expanded if expanded.count(a) > 1]
    assert any(n.see_above for _, n in nodes(ex))


def test_the_claims_a_verdict_rests_on_are_not_those_of_rules_that_fail(
    explained: dict[str, Explanation],
) -> None:
    # sensitivity reads Node.claims(): a rule that does not apply, or a supporting reason, is not a premise
    tree = trees(explained["guaranteed_guarantees"])["credible"]
    assert tree.claims() == set()


# ---------------------------------------------------------------- prose an analyst reads (issue 12, §4)
@pytest.mark.parametrize("pid", IDS)
def test_explanations_read_as_prose(explained: dict[str, Explanation], pid: str) -> None:
    text = explanation_text(explained[pid])
    assert not re.search(r"\b(19|20)\d{6}\b", text), "a raw YYYYMMDD date"
    assert "““" not in text and "””" not in text
    assert not re.search(r"\b[a-z_]+'s (current position|stances?)\b", text), "an actor's id instead of its label"


def test_stances_name_actors_by_their_labels_and_dates_in_words(app: argmap.Argmap) -> None:
    p = app.load(str(ROOT / "proposals" / "guaranteed_guarantees.yaml"))
    text = explanation_text(explain(app.traced, p, why="feasible_now"))
    assert "the current position of the US on US backing is 'promised'" in text
    assert "on 22 August 2025" in " ".join(text.split())


@pytest.mark.usefixtures("in_repo")
@pytest.mark.parametrize(
    ("atom", "suggestion"),
    [("credibl", "credible/0"), ("Credible", "credible"), ("Risk(Low)", "risk(low)")],
    ids=["prefix", "case", "case-with-argument"],
)
def test_a_near_miss_exits_2_with_did_you_mean(atom: str, suggestion: str) -> None:
    for option in ("--why", "--why-not"):
        result = cli("explain", "proposals/guaranteed_guarantees.yaml", option, atom)
        assert result.exit_code == 2, result.output
        assert result.stdout == ""
        assert f"did you mean '{suggestion}'?" in result.stderr
        assert "Traceback" not in result.stderr


@pytest.mark.usefixtures("in_repo")
def test_check_at_high_risk_shows_lower_factors_as_contributing() -> None:
    out = cli("check", "--exit-zero", "proposals/neutral_yet_nato.yaml").stdout
    assert "  Risk of renewed war: high because:" in out
    assert "  Also contributing to risk (medium):" in out
    assert "medium because" not in out


def test_explain_of_an_open_proposal_gives_check_s_completion_groups(app: argmap.Argmap) -> None:
    """An open proposal: explain says which completions give which verdict, as check does (issue 12 §3),
    from the same judgement, in text and JSON; a plain proposal has none."""
    from argmap.render.explain import explanation_json
    from argmap.render.json import completions_json
    from argmap.render.text import completion_lines

    path = str(ROOT / "proposals" / "taiwan_style_law.yaml")
    verdict = app.check(path)
    ex = app.explain(path)
    assert verdict.completions and ex.completions == verdict.completions
    text = explanation_text(ex, app.vocabulary)
    assert "\n".join(completion_lines(verdict.completions, app.vocabulary)) in text
    assert "Which completions give which verdict:" in text
    assert explanation_json(ex)["completions"] == completions_json(verdict.completions)
    plain = app.explain(str(ROOT / "proposals" / "guaranteed_guarantees.yaml"))
    assert plain.completions == () and "Which completions" not in explanation_text(plain, app.vocabulary)
    result = run("explain", path)
    assert result.exit_code == 0 and "Which completions give which verdict:" in result.stdout


def test_a_dated_text_is_explained_as_check_prints_it(app: argmap.Argmap) -> None:
    """A warning whose text says {as_of|...}: check fills in the date; explain --why takes the atom with
    the text as check printed it (or as the knowledge base wrote it) and words it the same way."""
    from argmap.model.proposal import World

    p = app.load(str(ROOT / "proposals" / "guaranteed_guarantees.yaml"))
    world = World(as_of=20240200)
    [warning] = [w for w in app.check(p, world=world).warnings if w.template]
    assert "{as_of|" in warning.template and "{as_of|" not in warning.text and "as of February 2024" in warning.text
    raw = str(clingo.Function("warning", [_term(warning.id), _term(warning.basis), clingo.String(warning.template)]))
    shown = str(clingo.Function("warning", [_term(warning.id), _term(warning.basis), clingo.String(warning.text)]))
    for asked in (raw, shown):
        [item] = app.explain(p, why=asked, world=world).items
        assert item.node.holds and item.node.atom == raw
    [undated] = [w for w in app.check(p).warnings if w.id == warning.id]  # the knowledge base's own words
    assert undated.template == warning.template and "as of" not in undated.text and "{" not in undated.text
