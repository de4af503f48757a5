"""Running scenario cases (argmap.testing): pass, fail, skip, subsets, coverage, -k, --update."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING

import pytest
import yaml

import argmap
from argmap.analysis.testing import (
    FAILED,
    PASSED,
    SKIPPED,
    collect,
    keyword_matcher,
    measure,
    run,
    run_case,
    update_files,
)
from argmap.io.scenarios import load_scenarios
from argmap.model.testing import CaseResult, Mismatch, TestReport
from argmap.render.testing import case_failure_text, pretty, summary
from helpers import PROPOSALS, ROOT

if TYPE_CHECKING:
    from argmap.engine.control import Engine

GG = (PROPOSALS / "guaranteed_guarantees.yaml").as_posix()
ERF = (PROPOSALS / "european_reassurance_force.yaml").as_posix()
TROOP_BAN = (PROPOSALS / "troop_ban_with_contingent.yaml").as_posix()
KOREA_LITE = (PROPOSALS / "korea_lite_without_troops.yaml").as_posix()
TAIWAN = (PROPOSALS / "taiwan_style_law.yaml").as_posix()
PROJECT_SCENARIOS = ROOT / "tests" / "scenarios"


@pytest.fixture(scope="module")
def tapp(app: argmap.Argmap) -> Engine:
    """The shipped knowledge base grounded with tracing on (explanations, coverage), as `argmap test` runs it."""
    return app.traced


def write(folder: Path, text: str, name: str = "cases.yaml") -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def run_file(app: Engine, path: Path) -> list[CaseResult]:
    return [run_case(app, c) for c in load_scenarios(str(path), app.vocabulary).cases]


def one_case(app: Engine, folder: Path, proposal: str, expect: str, changes: str = "") -> CaseResult:
    lines = ["scenarios:", "  - name: only", f"    proposal: {proposal}"]
    if changes:
        lines.append(f"    changes: {changes}")
    lines.append(f"    expect: {expect}")
    path = folder / "one.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (result,) = run_file(app, path)
    return result


# ---------------------------------------------------------------- pass, fail, skip
def test_a_passing_case(tapp: Engine, tmp_path: Path) -> None:
    r = one_case(tapp, tmp_path, GG, "{consistent: true, credible: true, risk: low, feasible_now: true}")
    assert r.status == PASSED
    assert r.mismatches == []
    assert r.explanation == []
    assert r.verdict is not None and r.verdict.proposal.id == "guaranteed_guarantees"
    assert {"eu_needs_us", "guaranteed_guarantees", "contingent_needed"} <= r.claims_used
    assert r.rules_used


def test_a_failing_case_lists_each_mismatch_and_explains_it(tapp: Engine, tmp_path: Path) -> None:
    r = one_case(tapp, tmp_path, ERF, "{consistent: true, credible: true, risk: low}")
    assert r.status == FAILED
    assert r.mismatches == [Mismatch("credible", "true", "false"), Mismatch("risk", "low", "high")]
    # One explanation per mismatched verdict, in the order of the mismatches, rendered as the plugin shows it.
    assert [title for title, _ in r.explanation] == ["Why credible is false:", "Why risk is high:"]
    text = case_failure_text(r)
    assert "\n  Why credible is false:\n" in text
    assert "\n  Why risk is high:\n" in text
    assert text.index("Why credible is false:") < text.index("Why risk is high:")
    assert "[eu_needs_us]" in text
    assert "rules/credibility.lp:" in text


def test_an_unexpected_true_is_explained_too(tapp: Engine, tmp_path: Path) -> None:
    r = one_case(tapp, tmp_path, GG, "{credible: false, precondition_met: false}")
    assert [m.field for m in r.mismatches] == ["credible", "precondition_met"]
    assert [title for title, _ in r.explanation] == ["Why credible is true:", "Why precondition_met is true:"]
    assert all(node.holds for _, node in r.explanation)


def test_explain_false_leaves_the_explanation_out(tapp: Engine, tmp_path: Path) -> None:
    path = write(tmp_path, f"scenarios:\n  - name: x\n    proposal: {ERF}\n    expect: {{credible: true}}\n")
    (case,) = load_scenarios(str(path), tapp.vocabulary).cases
    r = run_case(tapp, case, explain=False)
    assert r.status == FAILED and r.explanation == []


def test_without_tracing_a_failure_has_no_explanation(app: argmap.Argmap, tmp_path: Path) -> None:
    r = one_case(app.engine, tmp_path, ERF, "{credible: true}")
    assert r.status == FAILED
    assert r.mismatches == [Mismatch("credible", "true", "false")]
    assert r.explanation == []
    assert r.rules_used == frozenset()  # nothing is recorded without tracing


def test_a_skipped_case_is_not_solved(tapp: Engine, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f"""
        scenarios:
          - name: later
            skip: waiting for the next article
            proposal: {ERF}
            expect: {{credible: true}}
        """,
    )
    (r,) = run_file(tapp, path)
    assert r.status == SKIPPED
    assert r.verdict is None and r.mismatches == []


@pytest.fixture(scope="module")
def mixed(tapp: Engine, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, TestReport]:
    folder = tmp_path_factory.mktemp("mixed")
    path = write(
        folder,
        f"""
        scenarios:
          - name: passes
            proposal: {GG}
            expect: {{credible: true}}
          - name: fails
            proposal: {ERF}
            expect: {{credible: true, feasible_now: false}}
          - name: skipped
            skip: not yet
            proposal: {GG}
            expect: {{credible: true}}
        """,
    )
    return path, run(tapp, collect(tapp.vocabulary, [str(path)]))


def test_the_report_counts_each_status(mixed: tuple[Path, TestReport]) -> None:
    _, report = mixed
    assert [r.status for r in report.results] == [PASSED, FAILED, SKIPPED]
    assert (report.count(PASSED), report.count(FAILED), report.count(SKIPPED)) == (1, 1, 1)
    assert summary(report) == "1 passed, 1 failed, 1 skipped"
    assert report.coverage is None


def test_pretty_shows_expected_and_actual_side_by_side(tapp: Engine, mixed: tuple[Path, TestReport]) -> None:
    path, report = mixed
    text = pretty(report, tapp.vocabulary)
    lines = text.splitlines()
    assert lines[0] == f"PASS  {path}::passes"
    assert lines[1] == f"FAIL  {path}::fails"
    assert lines[2].strip() == f"{path}:7: expectation not met"
    header = lines[3]
    assert header.split() == ["expected", "actual"]
    row = lines[4]
    assert row.split() == ["credible", "true", "false"]
    # The columns line up: each value starts under its heading.
    assert row.index("true") == header.index("expected")
    assert row.index("false") == header.index("actual")
    assert not any(line.split()[:1] == ["feasible_now"] for line in lines)  # that one held
    assert "Why credible is false:" in text
    assert f"SKIP  {path}::skipped  (not yet)" in lines
    assert text.endswith("\n1 passed, 1 failed, 1 skipped\n")


def test_case_failure_text_is_what_the_plugin_shows(mixed: tuple[Path, TestReport]) -> None:
    _, report = mixed
    failed = report.results[1]
    text = case_failure_text(failed)
    assert re.search(r"^\s+expected\s+actual$", text, flags=re.MULTILINE)
    assert re.search(r"^\s+credible\s+true\s+false$", text, flags=re.MULTILINE)
    assert "Why credible is false:" in text


# ---------------------------------------------------------------- variations
def test_variations_run_with_the_case_changes_then_their_own(tapp: Engine, tmp_path: Path) -> None:
    # The European force alone is not credible; the case's change (a US backstop) makes it so,
    # and each variation adds its own change on top.
    path = write(
        tmp_path,
        f"""
        scenarios:
          - name: backed
            proposal: {ERF}
            changes: {{set: {{us_role: backstop}}}}
            variations:
              - name: as changed
                expect: {{credible: true, risk: low}}
              - name: ceasefire first
                changes: {{set: {{sequencing: ceasefire_first}}}}
                expect: {{credible: true, risk: medium}}
              - name: the claim rejected
                changes: {{reject_claim: [guaranteed_guarantees], set: {{us_role: none}}}}
                expect: {{credible: false}}
              - name: wrong on purpose
                changes: {{set: {{sequencing: ceasefire_first}}}}
                expect: {{risk: low}}
        """,
    )
    results = run_file(tapp, path)
    assert [r.status for r in results] == [PASSED, PASSED, PASSED, FAILED]
    assert results[3].mismatches == [Mismatch("risk", "low", "medium")]
    # Without the case's change the first variation would fail.
    assert one_case(tapp, tmp_path, ERF, "{credible: true}").status == FAILED


def test_a_variation_change_overrides_the_case_change(tapp: Engine, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f"""
        scenarios:
          - name: backed
            proposal: {ERF}
            changes: {{set: {{us_role: backstop}}}}
            variations:
              - name: intelligence only
                changes: {{set: {{us_role: intelligence}}}}
                expect:
                  credible: false
                  reasons: [{{claim: guaranteed_guarantees, verdict: credible, effect: con}}]
        """,
    )
    (r,) = run_file(tapp, path)
    assert r.status == PASSED, r.mismatches


# ---------------------------------------------------------------- subset semantics
SUBSETS = [
    ("reason-present", GG, "{reasons: [contingent_needed]}", None),
    ("reasons-several-present", GG, "{reasons: [eu_needs_us, strategic_uncertainty]}", None),
    ("reason-missing", GG, "{reasons: [eu_needs_us, russia_no_veto]}", "reasons"),
    ("reason-verdict-effect", GG, "{reasons: [{claim: eu_needs_us, verdict: credible, effect: pro}]}", None),
    ("reason-effect-only", ERF, "{reasons: [{claim: eu_needs_us, effect: con}]}", None),
    ("reason-wrong-effect", GG, "{reasons: [{claim: eu_needs_us, effect: con}]}", "reasons"),
    ("reason-wrong-verdict", GG, "{reasons: [{claim: eu_needs_us, verdict: risk}]}", "reasons"),
    ("reason-risk-high", ERF, "{reasons: [{claim: russia_resumes_war, verdict: risk, effect: high}]}", None),
    ("reason-definition", TROOP_BAN, "{reasons: [{claim: definition, verdict: credible}]}", None),
    ("conflict-present", TROOP_BAN, "{conflicts: [troop_ban_vs_contingent]}", None),
    ("conflict-missing", TROOP_BAN, "{conflicts: [troop_ban_vs_contingent, neutrality_vs_nato]}", "conflicts"),
    ("no-conflict-expected-one", GG, "{conflicts: [troop_ban_vs_contingent]}", "conflicts"),
    ("warning-present", GG, "{warnings: [russia_objects]}", None),
    ("warning-with-argument", KOREA_LITE, "{warnings: [built_in_stages]}", None),
    ("warning-missing", GG, "{warnings: [russia_objects, blocks_nato_upgrade]}", "warnings"),
]


@pytest.mark.parametrize(("proposal", "expect", "failing"), [s[1:] for s in SUBSETS], ids=[s[0] for s in SUBSETS])
def test_list_expectations_are_subsets(
    tapp: Engine, tmp_path: Path, proposal: str, expect: str, failing: str | None
) -> None:
    r = one_case(tapp, tmp_path, proposal, expect)
    if failing is None:
        assert r.status == PASSED, r.mismatches
    else:
        assert r.status == FAILED
        assert [m.field for m in r.mismatches] == [failing]
        assert r.mismatches[0].expected.startswith("includes ")


def test_a_missing_item_is_shown_with_the_actual_list(tapp: Engine, tmp_path: Path) -> None:
    r = one_case(tapp, tmp_path, TROOP_BAN, "{conflicts: [troop_ban_vs_contingent, neutrality_vs_nato]}")
    assert r.mismatches == [Mismatch("conflicts", "includes neutrality_vs_nato", "troop_ban_vs_contingent")]
    r = one_case(tapp, tmp_path, GG, "{conflicts: [neutrality_vs_nato]}")
    assert r.mismatches == [Mismatch("conflicts", "includes neutrality_vs_nato", "(none)")]
    r = one_case(tapp, tmp_path, GG, "{reasons: [{claim: eu_needs_us, effect: con}]}")
    (m,) = r.mismatches
    assert m.expected == "includes eu_needs_us (con)"
    assert "eu_needs_us (credible, pro)" in m.actual


@pytest.mark.parametrize(
    ("proposal", "expect", "mismatch"),
    [
        (KOREA_LITE, "[south_korea]", None),
        (KOREA_LITE, "[south_korea, israel]", Mismatch("truncated", "israel, south_korea", "south_korea")),
        (KOREA_LITE, "[]", Mismatch("truncated", "(none)", "south_korea")),
        (GG, "[]", None),
        (GG, "[israel]", Mismatch("truncated", "israel", "(none)")),
    ],
    ids=["exact", "one-too-many", "none-expected", "none", "one-expected-none-found"],
)
def test_a_set_verdict_expects_exactly_its_members(
    tapp: Engine, tmp_path: Path, proposal: str, expect: str, mismatch: Mismatch | None
) -> None:
    r = one_case(tapp, tmp_path, proposal, f"{{truncated: {expect}}}")
    assert r.mismatches == ([mismatch] if mismatch else [])


@pytest.mark.parametrize(
    ("expect", "mismatch"),
    [
        ("{credible: some}", None),
        ("{credible: all}", Mismatch("credible", "all", "some")),
        ("{credible: none}", Mismatch("credible", "none", "some")),
        ("{consistent: all, feasible_now: none}", None),
        ("{risk: [low, high]}", None),
        ("{risk: [high, low]}", None),
        ("{risk: low}", Mismatch("risk", "low", "low or high")),
        ("{risk: [low, medium]}", Mismatch("risk", "low or medium", "low or high")),
    ],
    ids=["some", "not-all", "not-none", "all-and-none", "levels", "levels-any-order", "one-level", "wrong-levels"],
)
def test_how_an_open_proposal_holds_across_completions(
    app: argmap.Argmap, tmp_path: Path, expect: str, mismatch: Mismatch | None
) -> None:
    # The plain engine: tracing every completion of an open proposal is slow, and not the point here.
    r = one_case(app.engine, tmp_path, TAIWAN, expect)
    assert r.mismatches == ([mismatch] if mismatch else [])


def test_an_open_aspect_counts_as_true_only_in_every_completion(app: argmap.Argmap, tmp_path: Path) -> None:
    # The Taiwan-style law is credible in some completions only: `credible: true` fails.
    assert one_case(app.engine, tmp_path, TAIWAN, "{credible: false, consistent: true}").status == PASSED
    r = one_case(app.engine, tmp_path, TAIWAN, "{credible: true}")
    assert r.mismatches == [Mismatch("credible", "true", "false")]


# ---------------------------------------------------------------- coverage
def test_coverage_of_the_project_scenarios_is_complete(tapp: Engine) -> None:
    report = run(tapp, collect(tapp.vocabulary, [str(PROJECT_SCENARIOS)]), coverage=True)
    assert report.count(FAILED) == 0
    cov = report.coverage
    assert cov is not None
    assert cov.claims_uncovered == []
    assert cov.percent == 100.0
    assert cov.record_only, "some claims are only on record"
    assert not set(cov.record_only) & set(cov.claims_covered)
    assert cov.claims_total == len(tapp.vocabulary.claims)
    assert len(cov.claims_covered) + len(cov.record_only) == cov.claims_total
    assert all(not tapp.vocabulary.claims[c].record_only for c in cov.claims_covered)
    assert 0 < cov.rules_covered <= cov.rules_total
    assert len(cov.rules_uncovered) == cov.rules_total - cov.rules_covered
    assert all(re.fullmatch(r"rules/\w+\.lp:\d+", w) for w in cov.rules_uncovered)


def test_coverage_counts_only_passing_cases(tapp: Engine, tmp_path: Path) -> None:
    passing = one_case(tapp, tmp_path, GG, "{credible: true}")
    failing = one_case(tapp, tmp_path, GG, "{credible: false}")
    assert passing.claims_used == failing.claims_used  # the same solve
    with_pass = measure(tapp, [passing])
    only_fail = measure(tapp, [failing])
    assert set(passing.claims_used) - {"definition"} <= set(with_pass.claims_covered)
    assert "eu_needs_us" in with_pass.claims_covered
    assert only_fail.claims_covered == []
    assert only_fail.rules_covered == 0
    assert only_fail.percent == 0.0
    exercisable = with_pass.claims_total - len(with_pass.record_only)
    assert with_pass.percent == pytest.approx(100.0 * len(with_pass.claims_covered) / exercisable)
    assert 0 < with_pass.percent < 100


#: A claim the scaffolded knowledge base uses only under negation: its rule fires when the claim is rejected.
ADAPT_CLAIM = """
claim(users_adapt, causal).
paraphrase(users_adapt, "Users adapt to a price.").
quote(users_adapt, "the users who pay least are those who use the resource most").
"""
ADAPT_RULE = """
reason(effective, con, pricing_works, "nothing says that users adapt to the price") :-
    accepted(pricing_works), has(price, true), not accepted(users_adapt).
"""


@pytest.fixture(scope="module")
def negated(tmp_path_factory: pytest.TempPathFactory) -> tuple[argmap.Argmap, Path]:
    """`argmap init`'s knowledge base, with a claim that only `not accepted(users_adapt)` reads."""
    from argmap.io import config
    from argmap.io.scaffold import scaffold

    root = tmp_path_factory.mktemp("negated") / "kb"
    scaffold(str(root))
    with (root / "facts" / "claims.lp").open("a", encoding="utf-8") as handle:
        handle.write(ADAPT_CLAIM)
    with (root / "rules" / "effectiveness.lp").open("a", encoding="utf-8") as handle:
        handle.write(ADAPT_RULE)
    return argmap.Argmap(config=config.load(str(root / "argmap.toml"))), root


@pytest.mark.parametrize(
    ("expect", "covered"),
    [(None, False), ("{effective: false}", True), ("{effective: true}", False)],
    ids=["not-rejected", "rejected-in-a-passing-case", "rejected-in-a-failing-case"],
)
def test_a_claim_used_only_under_negation_is_covered_when_a_passing_case_rejects_it(
    negated: tuple[argmap.Argmap, Path], expect: str | None, covered: bool
) -> None:
    app, root = negated
    scenarios = root / "scenarios"
    extra = scenarios / "rejected.yaml"
    if expect is None:
        extra.unlink(missing_ok=True)
    else:
        extra.write_text(
            "scenarios:\n  - name: users do not adapt\n    proposal: ../proposals/example.yaml\n"
            f"    changes: {{reject_claim: [users_adapt]}}\n    expect: {expect}\n",
            encoding="utf-8",
        )
    report = app.test([str(scenarios)], coverage=True)
    cov = report.coverage
    assert cov is not None
    assert [r.status for r in report.results][:3] == [PASSED, PASSED, PASSED]  # the scaffold's own cases
    assert "users_adapt" not in set().union(*(r.claims_used for r in report.results))  # never accepted(...) in a body
    assert ("users_adapt" in cov.claims_covered) is covered
    assert ("users_adapt" in cov.claims_uncovered) is not covered
    if expect is not None:
        (rejected,) = report.results[3:]
        assert rejected.claims_blocking == {"users_adapt"}
        assert rejected.status == (PASSED if covered else FAILED)


# ---------------------------------------------------------------- -k
def fake(case_id: str, *tags: str) -> SimpleNamespace:
    return SimpleNamespace(id=case_id, tags=tags)


KCASES = [
    fake("a.yaml::NATO membership", "examples", "feasibility"),
    fake("a.yaml::European force::as proposed", "whatif"),
    fake("b.yaml::European force::the US backs it", "whatif", "credibility"),
    fake("b.yaml::Budapest", "examples", "credibility"),
]


@pytest.mark.parametrize(
    ("expr", "selected"),
    [
        ("nato", [0]),
        ("NATO", [0]),
        ("whatif", [1, 2]),
        ("credibility", [2, 3]),
        ("b.yaml", [2, 3]),
        ("not whatif", [0, 3]),
        ("whatif and credibility", [2]),
        ("examples or whatif", [0, 1, 2, 3]),
        ("examples and not credibility", [0]),
        ("(examples or whatif) and not credibility", [0, 1]),
        ("not (examples or whatif)", []),
        ("european and (proposed or budapest)", [1]),
        ("not not nato", [0]),
        ("examples or whatif and credibility", [0, 2, 3]),  # and binds tighter than or
    ],
)
def test_keyword_expressions(expr: str, selected: list[int]) -> None:
    match = keyword_matcher(expr)
    assert [i for i, c in enumerate(KCASES) if match(c)] == selected


@pytest.mark.parametrize(
    ("expr", "words"),
    [
        ("and", "unexpected 'and'"),
        ("nato and", "ends too early"),
        ("(nato", "ends too early"),
        ("(nato or whatif", "ends too early"),
        ("nato )", "unexpected ')'"),
        ("nato whatif", "unexpected 'whatif'"),
        ("not", "ends too early"),
        ("or nato", "unexpected 'or'"),
    ],
)
def test_bad_keyword_expressions_are_input_errors(expr: str, words: str) -> None:
    with pytest.raises(argmap.InputError) as info:
        keyword_matcher(expr)
    assert info.value.key == "-k"
    assert words in info.value.message


def test_collect_filters_by_keyword_and_tag(tapp: Engine) -> None:
    every = collect(tapp.vocabulary, [str(PROJECT_SCENARIOS)])
    whatif = collect(tapp.vocabulary, [str(PROJECT_SCENARIOS)], "whatif")
    not_whatif = collect(tapp.vocabulary, [str(PROJECT_SCENARIOS)], "not whatif")
    assert whatif and not_whatif
    assert all("whatif" in c.tags for c in whatif)
    assert len(whatif) + len(not_whatif) == len(every)
    assert {c.id for c in whatif}.isdisjoint(c.id for c in not_whatif)


# ---------------------------------------------------------------- --update
TABLE = f"""
# A leading comment that --update keeps.
scenarios:
  - name: table
    proposal: {ERF}
    variations:
      - name: as proposed
        expect: {{credible: false}}
      - name: backed
        changes: {{set: {{us_role: backstop}}}}
        expect:
          credible: false
          risk: high
          warnings: [us_must_be_persuaded, russia_objects]
          reasons: [eu_needs_us, russia_no_veto]
"""


def test_update_rewrites_failing_expectations_only(tapp: Engine, tmp_path: Path) -> None:
    failing = write(tmp_path, TABLE, "failing.yaml")
    passing = write(
        tmp_path, f"scenarios:\n  - name: fine\n    proposal: {GG}\n    expect: {{credible: true}}\n", "ok.yaml"
    )
    before_ok = passing.read_bytes()
    results = run_file(tapp, failing) + run_file(tapp, passing)
    assert [r.status for r in results] == [PASSED, FAILED, PASSED]
    assert update_files(results).changed == [str(failing)]
    assert passing.read_bytes() == before_ok
    text = failing.read_text(encoding="utf-8")
    assert text.startswith("# A leading comment that --update keeps.\n")
    data = yaml.safe_load(text)
    rows = data["scenarios"][0]["variations"]
    assert rows[0]["expect"] == {"credible": False}
    # Only the keys already expected are refreshed; list items that do not hold are dropped.
    assert rows[1]["expect"] == {
        "credible": True,
        "risk": "low",
        "warnings": ["russia_objects"],
        "reasons": ["eu_needs_us"],
    }
    assert rows[1]["changes"] == {"set": {"us_role": "backstop"}}
    assert [r.status for r in run_file(tapp, failing)] == [PASSED, PASSED]
    # Edited in place: the passing row and the changes keep their flow style; the failing values change
    # where they stand (a block mapping stays a block, a flow list a flow list).
    assert "        expect: {credible: false}\n" in text
    assert "        changes: {set: {us_role: backstop}}\n" in text
    assert "          credible: true\n          risk: low\n          warnings: [russia_objects]\n" in text


def test_update_keeps_comments_and_layout_outside_the_changed_values(tapp: Engine, tmp_path: Path) -> None:
    source = (
        "# top\n"
        "scenarios:\n"
        "  - name: gg   # why this case\n"
        f"    proposal: {GG}   # the article's own\n"
        "    # the article says it is credible\n"
        "    expect: {credible: false}\n"
        "\n"
        "  # a second case, passing\n"
        f"  - name: fine\n    proposal: {GG}\n    expect:\n      credible: true  # as said\n"
    )
    path = write(tmp_path, source)
    assert [r.status for r in run_file(tapp, path)] == [FAILED, PASSED]
    update_files(run_file(tapp, path))
    assert path.read_text(encoding="utf-8") == source.replace("{credible: false}", "{credible: true}")


def test_update_without_failures_changes_nothing(tapp: Engine, tmp_path: Path) -> None:
    path = write(tmp_path, f"scenarios:\n  - name: fine\n    proposal: {GG}\n    expect: {{credible: true}}\n")
    before = path.read_bytes()
    assert update_files(run_file(tapp, path)).changed == []
    assert path.read_bytes() == before


def test_update_drops_a_reason_pattern_that_does_not_hold(tapp: Engine, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f"""
        scenarios:
          - name: gg
            proposal: {GG}
            expect:
              credible: true
              reasons: [{{claim: eu_needs_us, effect: con}}]
        """,
    )
    results = run_file(tapp, path)
    assert [r.status for r in results] == [FAILED]
    update_files(results)
    assert [r.status for r in run_file(tapp, path)] == [PASSED]


def test_update_of_an_open_risk_gives_a_loadable_file(app: argmap.Argmap, tmp_path: Path) -> None:
    path = write(tmp_path, f"scenarios:\n  - name: taiwan\n    proposal: {TAIWAN}\n    expect: {{risk: low}}\n")
    results = run_file(app.engine, path)
    assert [r.status for r in results] == [FAILED]
    assert results[0].mismatches == [Mismatch("risk", "low", "low or high")]
    update_files(results)
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["scenarios"][0]["expect"] == {"risk": ["low", "high"]}
    assert [r.status for r in run_file(app.engine, path)] == [PASSED]


def test_update_leaves_a_case_that_would_expect_nothing_and_says_so(tmp_path: Path) -> None:
    """Its one expected warning no longer fires: dropping it would leave `expect: {}`, which the reader
    refuses.  The case stays as written, the command names it, and the run still fails (exit 1)."""
    from cli_runner import run as cli

    source = (
        "scenarios:\n"
        f"  - name: only a warning\n    proposal: {GG}\n    expect:\n      warnings:\n        - us_must_be_persuaded\n"
        "# a closing comment\n"
    )
    path = write(tmp_path, source)
    result = cli("test", str(path), "--update")
    assert result.exit_code == 1, result.output
    assert "case 'only a warning' still fails: nothing it expects still holds" in result.stderr
    assert path.read_text(encoding="utf-8") == source


def test_update_writes_through_a_link_to_its_target(tmp_path: Path) -> None:
    from cli_runner import run as cli

    real = write(
        tmp_path, f"scenarios:\n  - name: gg\n    proposal: {GG}\n    expect: {{credible: false}}\n", "real.yaml"
    )
    link = tmp_path / "link.yaml"
    link.symlink_to(real.name)
    result = cli("test", str(link), "--update")
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and "{credible: true}" in real.read_text(encoding="utf-8")


def test_update_does_not_touch_a_failing_absent_and_the_run_still_fails(tmp_path: Path) -> None:
    """What must not hold is the user's call: a failing `absent:` is named, and the run exits 1."""
    from cli_runner import run as cli

    source = f"scenarios:\n  - name: gg\n    proposal: {GG}\n    expect:\n      absent: {{reasons: [eu_needs_us]}}\n"
    path = write(tmp_path, source)
    result = cli("test", str(path), "--update")
    assert result.exit_code == 1, result.output
    assert "case 'gg' still fails: its absent.reasons fails" in result.stderr
    assert "updated" not in result.stderr and path.read_text(encoding="utf-8") == source


def test_an_id_no_rule_derives_fails_the_case_with_a_did_you_mean(tapp: Engine, tmp_path: Path) -> None:
    """Under `absent:` a misspelt warning would pass for ever; under `warnings:` it would read as a
    warning that did not fire.  Both are said to be ids no rule derives."""
    path = write(
        tmp_path,
        f"""
        scenarios:
          - name: gg
            proposal: {GG}
            expect:
              credible: true
              warnings: [russia_objects]
              notes: [nope]
              absent: {{warnings: [russia_objectz], conflicts: [troop_ban_vs_contingent]}}
        """,
    )
    (result,) = run_file(tapp, path)
    assert result.status == FAILED
    said = {(m.field, m.expected) for m in result.mismatches}
    assert said == {
        (
            "absent.warnings",
            "russia_objectz, which no rule of the knowledge base derives (did you mean russia_objects?)",
        ),
        ("notes", "nope, which no rule of the knowledge base derives"),
    }, said


def test_every_finding_id_the_shipped_scenarios_name_is_derivable(tapp: Engine) -> None:
    from argmap.analysis.testing import derivable_findings

    known = derivable_findings(tapp)
    assert "russia_objects" in known["warnings"] and "troop_ban_vs_contingent" in known["conflicts"]
    for case in collect(tapp.vocabulary, [str(PROJECT_SCENARIOS)]):
        exp = case.expect
        for name in ("conflicts", "warnings", "notes"):
            named = [*getattr(exp, name), *exp.absent.get(name, ())]
            assert set(map(str, named)) <= known[name], (case.id, name)


def test_update_does_not_drop_a_misspelt_id_but_names_the_case(tmp_path: Path) -> None:
    """Refreshing would drop `russia_object` (it never fires) and the check the author meant with it."""
    from cli_runner import run as cli

    source = (
        f"scenarios:\n  - name: gg\n    proposal: {GG}\n    expect: {{credible: false, warnings: [russia_object]}}\n"
    )
    path = write(tmp_path, source)
    result = cli("test", str(path), "--update")
    assert result.exit_code == 1, result.output
    assert "case 'gg' still fails: its warnings names an id no rule derives" in result.stderr
    assert path.read_text(encoding="utf-8") == source
