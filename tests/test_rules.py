"""Each rule file on its own: a few facts in, the atoms that must (and must not) come out.

Every case loads the fact files and the rule files up to the one under test (in
dependency order), with argmap's prelude, adds the case's input, and reads the
one answer set.  A pattern cut short (ending in ',' or '(', or with a parenthesis
left open) matches atoms by prefix, for long string arguments; any other pattern
must match an atom exactly.

Most inputs (set/2, open/1, rejected/1, as_of/1, assume_stance/3, ...) are the
prelude's externals, so each program is grounded once per rule file and a case
assigns its inputs true for one solve (:func:`answer_sets`); a case with any
other fact is grounded with it as a fact (:func:`helpers.answer_sets`).  An
external assigned true and the same atom given as a fact have the same answer
sets; ``test_claims`` compares the two ways on purpose.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

import clingo
import pytest

import argmap
import helpers
from helpers import PRELUDE, RULES, check_atoms, rule_files


@functools.cache
def _grounded(upto: str) -> tuple[clingo.Control, dict[clingo.Symbol, int]]:
    """The rule files up to `upto` with the prelude, grounded once, and their external inputs."""
    ctl = clingo.Control(["--warn=none", "0"])
    for path in [*rule_files(upto), *PRELUDE]:
        ctl.load(str(path))
    ctl.ground([("base", [])])
    return ctl, {a.symbol: a.literal for a in ctl.symbolic_atoms if a.is_external}


def _inputs(facts: str) -> list[clingo.Symbol] | None:
    """The facts of `facts` as symbols, or None when one is not a plain ground atom."""
    out = []
    for text in filter(None, (t.strip() for t in re.split(r"\.(?:\s+|$)", facts.strip()))):
        try:
            sym = clingo.parse_term(text)
        except RuntimeError:
            return None
        if sym.type != clingo.SymbolType.Function:
            return None
        out.append(sym)
    return out


def answer_sets(
    facts: str = "", *, upto: str, externals: Iterable[str] = (), only: str | None = None
) -> list[frozenset[str]]:
    """Every answer set (as str() of its atoms, or of its `only` atoms): `facts` and `externals`
    assigned true as inputs of the program grounded once; grounded with `facts` as facts when
    one of them is not an input."""
    ctl, inputs = _grounded(upto)
    given = _inputs(facts)
    if given is None or any(sym not in inputs for sym in given):
        found = helpers.answer_sets(facts, upto=upto, externals=externals)
        return [frozenset(a for a in m if only is None or a.startswith(only + "(")) for m in found]
    chosen = [inputs[sym] for sym in given] + [inputs[clingo.parse_term(e)] for e in externals]
    found = []

    def on_model(model: clingo.Model) -> None:
        shown = model.symbols(atoms=True)
        found.append(frozenset(str(s) for s in shown if only is None or s.name == only))

    for lit in chosen:
        ctl.assign_external(lit, True)
    try:
        ctl.solve(on_model=on_model)
    finally:
        for lit in chosen:
            ctl.assign_external(lit, False)
    return found


def atoms(facts: str = "", *, upto: str = helpers.RULE_ORDER[-1], externals: Iterable[str] = ()) -> frozenset[str]:
    """The atoms of the one answer set of a program with no open aspect."""
    found = answer_sets(facts, upto=upto, externals=externals)
    assert len(found) == 1, f"expected one answer set, got {len(found)}"
    return found[0]


def case(
    name: str, facts: str, must: tuple[str, ...] = (), must_not: tuple[str, ...] = (), externals: tuple[str, ...] = ()
) -> object:
    return pytest.param(facts, must, must_not, externals, id=name)


ARGS = ("facts", "must", "must_not", "externals")

#: A European-led guarantee by the UK and France with a tripwire contingent and no US role.
EU = "set(lead,european). set(guarantors,uk). set(guarantors,france). set(western_contingent,tripwire). "
#: The same with a US backstop: credible under the article's reasoning.
CRED = EU + "set(us_role,backstop). "
AID = "set(military_aid,long_term). "


# ---------------------------------------------------------------- accepted/1 (argmap's prelude)
@pytest.mark.parametrize(
    ARGS,
    [
        case(
            "nothing_rejected",
            "",
            ("accepted(eu_needs_us)", "accepted(poll_64)", "accepted(russia_no_veto)"),
            ("rejected(eu_needs_us)",),
        ),
        case("reject_by_fact", "rejected(eu_needs_us).", ("accepted(poll_64)",), ("accepted(eu_needs_us)",)),
        case(
            "reject_by_external",
            "",
            ("accepted(poll_64)", "rejected(eu_needs_us)"),
            ("accepted(eu_needs_us)",),
            externals=("rejected(eu_needs_us)",),
        ),
        case(
            "reject_two",
            "rejected(poll_64). rejected(nato_optimal).",
            ("accepted(eu_needs_us)",),
            ("accepted(poll_64)", "accepted(nato_optimal)"),
        ),
        case("non_claims_never_accepted", "", (), ("accepted(definition)", "accepted(user_assumption)")),
    ],
)
def test_claims(facts: str, must: tuple[str, ...], must_not: tuple[str, ...], externals: tuple[str, ...]) -> None:
    as_facts = helpers.atoms(facts, upto="proposal", externals=externals)
    check_atoms(as_facts, must, must_not)
    assert atoms(facts, upto="proposal", externals=externals) == as_facts  # the same as inputs


def test_claims_every_claim_accepted_by_default(app: argmap.Argmap) -> None:
    found = atoms("", upto="proposal")
    assert {a for a in found if a.startswith("accepted(")} == {f"accepted({c})" for c in app.claims}


# ---------------------------------------------------------------- proposal.lp
@pytest.mark.parametrize(
    ARGS,
    [
        case(
            "us_backstop",
            "set(us_role,backstop).",
            ("has(us_role,backstop)", "feature(us_guarantee)", "feature(us_involved)"),
            ("feature(us_troops)", "feature(contingent)"),
        ),
        case(
            "us_political_declaration_only",
            "set(us_role,political_declaration).",
            ("has(us_role,political_declaration)",),
            ("feature(us_involved)", "feature(us_guarantee)"),
        ),
        case("us_intelligence", "set(us_role,intelligence).", ("feature(us_involved)",), ("feature(us_guarantee)",)),
        case(
            "us_ground_troops",
            "set(us_role,ground_troops).",
            ("feature(us_troops)", "feature(contingent)", "feature(us_guarantee)", "feature(us_involved)"),
        ),
        case(
            "nato_member",
            "set(nato_path,member).",
            (
                "feature(nato_membership)",
                "feature(nato_track)",
                "feature(us_involved)",
                "feature(us_guarantee)",
                "feature(guarantee_offered)",
                "feature(western_guarantee)",
            ),
            ("feature(contingent)", "feature(european_guarantor)"),
        ),
        case(
            "nato_irreversible_path_only",
            "set(nato_path,irreversible_path).",
            ("feature(nato_track)",),
            ("feature(nato_membership)", "feature(guarantee_offered)", "feature(us_involved)"),
        ),
        case("nato_path_open", "set(nato_path,open).", (), ("feature(nato_track)",)),
        case("contingent_none", "set(western_contingent,none).", ("has(western_contingent,none)",), ("feature(",)),
        # The rule audit: unarmed monitors are a Western mission, not the contingent the article calls for.
        case(
            "contingent_monitors",
            "set(western_contingent,monitors).",
            ("feature(mission)",),
            ("feature(contingent)",),
        ),
        case("contingent_trainers", "set(western_contingent,trainers).", ("feature(contingent)", "feature(mission)")),
        case(
            "flag_true",
            "set(army_cap,true).",
            ("feature(army_capped)", "value(army_cap,true)", "value(army_cap,false)"),
        ),
        case("flag_false", "set(army_cap,false).", ("has(army_cap,false)",), ("feature(army_capped)",)),
        case(
            "turkey_is_western_not_european",
            "set(guarantors,turkey).",
            ("feature(western_guarantee)", "feature(guarantee_offered)"),
            ("feature(european_guarantor)",),
        ),
        case(
            "russia_and_china_guarantors",
            "set(guarantors,russia). set(guarantors,china).",
            ("feature(russia_guarantor)", "feature(guarantee_offered)"),
            ("feature(western_guarantee)", "feature(european_guarantor)"),
        ),
        case(
            "long_term_aid",
            "set(military_aid,long_term).",
            ("feature(long_term_support)", "feature(own_forces_supported)"),
        ),
        case("short_term_aid", "set(military_aid,short_term).", (), ("feature(own_forces_supported)",)),
        case(
            "defence_industry_support",
            "set(defence_industry_support,true).",
            ("feature(own_forces_supported)",),
            ("feature(long_term_support)",),
        ),
        case(
            "european_lead",
            "set(lead,european). set(timing,at_ceasefire).",
            ("feature(european_led)", "feature(timing_given)"),
        ),
        case("empty_proposal", "", (), ("has(", "feature(")),
    ],
)
def test_proposal(facts: str, must: tuple[str, ...], must_not: tuple[str, ...], externals: tuple[str, ...]) -> None:
    check_atoms(atoms(facts, upto="proposal", externals=externals), must, must_not)


@pytest.mark.parametrize(
    ("facts", "count", "key"),
    [
        ("open(lead).", 4, "lead"),
        ("open(air_defence).", 2, "air_defence"),
        ("open(us_role).", 2**7, "us_role"),
    ],
    ids=["one_of_four", "flag", "many_is_every_subset"],
)
def test_proposal_open_aspect_gives_every_completion(facts: str, count: int, key: str) -> None:
    found = answer_sets(facts, upto="proposal", only="has")
    assert len(found) == count
    chosen = {frozenset(a for a in m if a.startswith(f"has({key},")) for m in found}
    assert len(chosen) == count  # each completion a different choice


def test_proposal_open_one_value_component_has_exactly_one_value() -> None:
    for model in answer_sets("open(lead).", upto="proposal", only="has"):
        assert len([a for a in model if a.startswith("has(lead,")]) == 1


def test_proposal_value_outside_the_vocabulary_makes_no_feature() -> None:
    # The loader never lets such a value through; the rules must not read meaning into it either.
    found = atoms("set(lead,martian).", upto="proposal")
    assert "has(lead,martian)" in found
    assert "feature(european_led)" not in found


# ------------------------------------------------ current_stance/4 (argmap's stances part, over facts/world.lp)
@pytest.mark.parametrize(
    ARGS,
    [
        case(
            "article_present",
            "",
            (
                "__latest(20250822)",
                "__now(us,20250822)",
                "current_stance(us,priority,guarantees_first,us_reversal)",
                "current_stance(us,us_backing,promised,",
                "current_stance(us,us_participation,reluctant,us_not_eager)",
                "current_stance(russia,coalition_guarantees,oppose,russia_rejects_coalition)",
            ),
            ("current_stance(us,priority,ceasefire_first,oval_office_clash)", "current_stance(us,us_backing,withheld,"),
        ),
        case(
            "as_of_oval_office",
            "as_of(20250228).",
            (
                "__now(russia,20250228)",
                "current_stance(us,priority,ceasefire_first,oval_office_clash)",
                "current_stance(us,us_backing,withheld,new_president_no_boost)",
                "current_stance(ukraine,priority,guarantees_first,oval_office_clash)",
            ),
            (
                "current_stance(us,priority,guarantees_first,",
                "current_stance(us,us_participation,",
                "current_stance(russia,",
            ),
        ),
        case(
            "us_reversal_rejected",
            "rejected(us_reversal).",
            (),
            ("current_stance(us,priority,guarantees_first,us_reversal)",),
        ),
        case(
            "every_us_turnaround_claim_rejected",
            "rejected(us_reversal). rejected(us_realised_late).",
            ("current_stance(us,priority,ceasefire_first,oval_office_clash)",),
            ("current_stance(us,priority,guarantees_first,", "__superseded(us,priority,20250228)"),
        ),
        case(
            "only_us_read_at_oval_office",
            "as_of(us,20250228).",
            (
                "__dated(us)",
                "__now(us,20250228)",
                "__now(russia,20250822)",
                "current_stance(us,priority,ceasefire_first,oval_office_clash)",
                "current_stance(russia,coalition_guarantees,oppose,russia_rejects_coalition)",
            ),
            ("__now(us,20250822)", "__dated(russia)"),
        ),
        case(
            "assumed_stance_overrides_record",
            "assume_stance(russia,coalition_guarantees,accept).",
            (
                "current_stance(russia,coalition_guarantees,accept,user_assumption)",
                "__overridden(russia,coalition_guarantees)",
            ),
            ("current_stance(russia,coalition_guarantees,oppose,",),
        ),
        case(
            "as_of_macron_initiative",
            "as_of(20240200).",
            (
                "current_stance(us,western_contingent,unconvinced,kyiv_quiet_diplomacy)",
                "current_stance(france,western_contingent,support,macron_initiative)",
            ),
            ("current_stance(us,us_backing,", "current_stance(ukraine,priority,"),
        ),
        case(
            "stance_claim_rejected",
            "rejected(us_not_eager).",
            ("current_stance(us,ukraine_nato,oppose,trump_may_shift_on_nato)",),
            ("current_stance(us,us_participation,",),
        ),
    ],
)
def test_world(facts: str, must: tuple[str, ...], must_not: tuple[str, ...], externals: tuple[str, ...]) -> None:
    check_atoms(atoms(facts, upto="proposal", externals=externals), must, must_not)


def test_world_one_current_position_per_actor_and_issue() -> None:
    # Several claims may record the same position; no actor holds two positions at once.
    for facts in ("", "as_of(20250228).", "rejected(us_reversal).", "as_of(20240800).", "as_of(20250818)."):
        positions: dict[tuple[str, str], set[str]] = {}
        for a in atoms(facts, upto="proposal"):
            if a.startswith("current_stance("):
                actor, issue, position, _ = a.removeprefix("current_stance(").rstrip(")").split(",")
                positions.setdefault((actor, issue), set()).add(position)
        assert positions
        assert {k: v for k, v in positions.items() if len(v) > 1} == {}, facts


# ---------------------------------------------------------------- consistency.lp
@pytest.mark.parametrize(
    ARGS,
    [
        case(
            "neutrality_with_nato_member",
            "set(neutrality,permanent). set(nato_path,member).",
            (
                "conflict(neutrality_vs_nato,definition,",
                "involves(neutrality_vs_nato,neutrality,permanent)",
                "involves(neutrality_vs_nato,nato_path,member)",
            ),
            ("consistent",),
        ),
        case(
            "neutrality_with_closed_path",
            "set(neutrality,permanent). set(nato_path,closed).",
            ("consistent",),
            ("conflict(",),
        ),
        case(
            "troop_ban_with_tripwire",
            "set(foreign_troops_banned,true). set(western_contingent,tripwire).",
            (
                "conflict(troop_ban_vs_contingent,definition,",
                "involves(troop_ban_vs_contingent,western_contingent,tripwire)",
            ),
            ("consistent",),
        ),
        case(
            "troop_ban_without_contingent",
            "set(foreign_troops_banned,true). set(western_contingent,none).",
            ("consistent",),
            ("conflict(",),
        ),
        case(
            "troop_ban_with_us_troops",
            "set(foreign_troops_banned,true). set(us_role,ground_troops).",
            ("involves(troop_ban_vs_contingent,us_role,ground_troops)",),
            ("consistent",),
        ),
        case(
            "troop_ban_lifted",
            "set(foreign_troops_banned,false). set(western_contingent,combat).",
            ("consistent",),
            ("conflict(",),
        ),
        case(
            "us_none_with_backstop",
            "set(us_role,none). set(us_role,backstop).",
            ("conflict(us_none_vs_role,definition,", "involves(us_none_vs_role,us_role,backstop)"),
            ("consistent",),
        ),
        case("us_lead_without_us", "set(lead,us). set(us_role,none).", ("conflict(us_lead_without_us,definition,",)),
        case(
            "bridge_to_closed_door",
            "set(duration,until_nato_membership). set(nato_path,closed).",
            ("conflict(bridge_to_closed_door,definition,",),
        ),
        case(
            "bridge_to_open_door",
            "set(duration,until_nato_membership). set(nato_path,invitation).",
            ("consistent",),
            ("conflict(",),
        ),
        case(
            "ambiguity_with_automatic_trigger_is_only_a_warning",
            "set(strategic_ambiguity,true). set(activation,automatic).",
            ("consistent",),
            ("conflict(",),
        ),
        case(
            "european_lead_without_europeans",
            "set(lead,european). set(guarantors,us).",
            (
                "conflict(european_lead_without_europeans,definition,",
                "involves(european_lead_without_europeans,lead,european)",
            ),
            ("consistent",),
        ),
        case("empty_proposal", "", ("consistent",), ("conflict(", "clash(")),
    ],
)
def test_consistency(facts: str, must: tuple[str, ...], must_not: tuple[str, ...], externals: tuple[str, ...]) -> None:
    check_atoms(atoms(facts, upto="consistency", externals=externals), must, must_not)


# ---------------------------------------------------------------- credibility.lp
@pytest.mark.parametrize(
    ARGS,
    [
        case(
            "european_without_us",
            EU,
            (
                "reason(credible,con,eu_needs_us,",
                "reason(credible,con,guaranteed_guarantees,",
                "reason(credible,pro,contingent_needed,",
            ),
            ("credible", "reason(credible,pro,eu_needs_us,"),
        ),
        case(
            "european_with_us_backstop",
            CRED,
            ("credible", "reason(credible,pro,eu_needs_us,", "reason(credible,pro,guaranteed_guarantees,"),
            ("reason(credible,con,",),
        ),
        case(
            "european_with_us_intelligence_only",
            EU + "set(us_role,intelligence).",
            ("reason(credible,pro,eu_needs_us,", "reason(credible,con,guaranteed_guarantees,"),
            ("credible",),
        ),
        case(
            "us_declaration_is_not_involvement",
            EU + "set(us_role,political_declaration).",
            ("reason(credible,con,eu_needs_us,",),
            ("credible",),
        ),
        case(
            "no_guarantee_offered",
            "",
            ("reason(credible,con,guarantees_precondition,",),
            ("credible", "reason(credible,con,eu_needs_us,", "reason(credible,con,contingent_needed,"),
        ),
        case(
            "no_contingent",
            "set(guarantors,us). set(us_role,backstop).",
            ("reason(credible,con,contingent_needed,",),
            ("credible",),
        ),
        case(
            "nato_membership",
            "set(nato_path,member).",
            ("credible", "reason(credible,pro,nato_optimal,"),
            ("reason(credible,con,contingent_needed,",),
        ),
        case(
            "unsc_trigger",
            CRED + "set(activation,unsc_consensus).",
            ('reason(credible,con,russia_no_veto,"activation',),
            ("credible",),
        ),
        case(
            "russia_guarantor",
            CRED + "set(guarantors,russia).",
            ('reason(credible,con,russia_no_veto,"Russia is itself',),
            ("credible",),
        ),
        case(
            "russia_no_veto_rejected",
            CRED + "set(activation,unsc_consensus). rejected(russia_no_veto).",
            ("credible",),
            ("reason(credible,con,russia_no_veto,",),
        ),
        case(
            "inconsistent_proposal",
            CRED + "set(neutrality,permanent). set(nato_path,irreversible_path).",
            ("reason(credible,con,definition,",),
            ("credible", "consistent"),
        ),
        case(
            "stages_and_ambiguity",
            CRED + "set(timing,before_ceasefire). set(strategic_ambiguity,true).",
            ("credible", "reason(credible,pro,stages_before_ceasefire,", "reason(credible,pro,strategic_uncertainty,"),
        ),
        case(
            "us_claims_rejected",
            EU + "rejected(eu_needs_us). rejected(guaranteed_guarantees).",
            ("credible",),
            ("reason(credible,con,",),
        ),
    ],
)
def test_credibility(facts: str, must: tuple[str, ...], must_not: tuple[str, ...], externals: tuple[str, ...]) -> None:
    check_atoms(atoms(facts, upto="credibility", externals=externals), must, must_not)


# ---------------------------------------------------------------- models.lp
KOREA_IN_FULL = (
    "set(model,south_korea). set(us_role,treaty_ally). set(us_role,ground_troops). set(legal_form,treaty). " + AID
)


@pytest.mark.parametrize(
    ARGS,
    [
        case(
            "korea_without_treaty",
            "set(model,south_korea).",
            (
                "follows(south_korea)",
                "missing(south_korea,treaty,korea_treaty_1953)",
                "missing(south_korea,us_troops,korea_sofa_1966)",
                "truncated(south_korea)",
                'reason(truncated,south_korea,korea_treaty_1953,"the proposal is not a treaty")',
                'reason(truncated,south_korea,korea_sofa_1966,"no US troops are stationed in Ukraine")',
                "evolved_gradually(south_korea,korea_treaty_1953)",
                "evolved_gradually(south_korea,korea_nukes)",
            ),
            ("truncated(israel)", "follows(israel)"),
        ),
        case(
            "korea_in_full",
            KOREA_IN_FULL,
            ("follows(south_korea)", "evolved_gradually(south_korea,"),
            ("missing(", "truncated(", "reason(truncated,"),
        ),
        case(
            "korea_treaty_claim_rejected",
            "set(model,south_korea). rejected(korea_treaty_1953).",
            ("evolved_gradually(south_korea,korea_nukes)", "truncated(south_korea)"),
            ("missing(south_korea,treaty,", "evolved_gradually(south_korea,korea_treaty_1953)"),
        ),
        case(
            "truncation_lesson_rejected",
            "set(model,south_korea). rejected(truncated_models).",
            ("follows(south_korea)",),
            ("missing(", "truncated("),
        ),
        case("gradual_lesson_rejected", "rejected(models_evolved).", (), ("evolved_gradually(",)),
        case("no_model_claimed", "", ("evolved_gradually(south_korea,korea_treaty_1953)",), ("follows(", "truncated(")),
        case("model_none", "set(model,none).", (), ("follows(", "truncated(")),
        case(
            "israel_gradual_by_claim",
            "set(model,israel).",
            (
                "missing(israel,long_term_support,israel_memoranda_1999)",
                "missing(israel,us_involved,models_tied_to_us)",
                "evolved_gradually(israel,israel_memoranda_1999)",
            ),
        ),
        case(
            "israel_memoranda_claim_rejected",
            "set(model,israel). rejected(israel_memoranda_1999).",
            ("missing(israel,us_involved,models_tied_to_us)",),
            ("evolved_gradually(israel,", "missing(israel,long_term_support,"),
        ),
        case(
            "taiwan_without_review",
            "set(model,taiwan). set(strategic_ambiguity,true). set(us_role,intelligence). " + AID,
            ("missing(taiwan,periodic_review,taiwan_adapts)", "truncated(taiwan)"),
            ("missing(taiwan,strategic_ambiguity,", "missing(taiwan,us_involved,"),
        ),
        case(
            "west_germany_by_membership",
            "set(model,west_germany). set(nato_path,member). set(defence_industry_support,true).",
            ("follows(west_germany)",),
            ("truncated(west_germany)", "evolved_gradually(west_germany,"),
        ),
    ],
)
def test_models(facts: str, must: tuple[str, ...], must_not: tuple[str, ...], externals: tuple[str, ...]) -> None:
    check_atoms(atoms(facts, upto="models", externals=externals), must, must_not)


# ---------------------------------------------------------------- risk.lp
@pytest.mark.parametrize(
    ARGS,
    [
        case(
            "not_credible",
            "",
            ("reason(risk,high,russia_resumes_war,", "risk(high)"),
            ("risk(low)", "risk(medium)"),
        ),
        case(
            "credible_supported_before_ceasefire",
            CRED + AID + "set(timing,before_ceasefire).",
            ("risk(low)",),
            ("reason(risk,", "risk(medium)", "risk(high)"),
        ),
        case(
            "credible_but_ceasefire_first",
            CRED + AID + "set(sequencing,ceasefire_first).",
            ('reason(risk,medium,russia_resumes_war,"a ceasefire comes first', "risk(medium)"),
            ("risk(high)", "risk(low)"),
        ),
        case(
            "credible_deployed_after_agreed_ceasefire",
            CRED + AID + "set(sequencing,guarantees_first). set(timing,after_ceasefire).",
            ("risk(low)",),
            ("reason(risk,",),
        ),
        case(
            "army_capped",
            CRED + AID + "set(army_cap,true).",
            ("reason(risk,medium,own_army_industry,", "risk(medium)"),
            ("risk(low)",),
        ),
        case("no_long_term_support", CRED, ("reason(risk,medium,us_financial_support,", "risk(medium)")),
        case(
            "own_army_lesson_rejected",
            CRED + "rejected(own_army_industry).",
            ("risk(low)",),
            ("reason(risk,medium,us_financial_support,",),
        ),
        case(
            "industry_support_suffices",
            CRED + "set(defence_industry_support,true).",
            ("risk(low)",),
            ("reason(risk,medium,us_financial_support,",),
        ),
        case(
            "truncated_model",
            CRED + AID + "set(model,south_korea).",
            ("reason(risk,medium,truncated_models,", "risk(medium)"),
            ("risk(high)",),
        ),
        case(
            "resumes_war_claim_rejected",
            AID + "rejected(russia_resumes_war).",
            ("risk(low)",),
            ("reason(risk,high,", "risk(high)"),
        ),
    ],
)
def test_risk(facts: str, must: tuple[str, ...], must_not: tuple[str, ...], externals: tuple[str, ...]) -> None:
    found = atoms(facts, upto="risk", externals=externals)
    check_atoms(found, must, must_not)
    assert len([a for a in found if a.startswith("risk(")]) == 1  # exactly one level


# ---------------------------------------------------------------- feasibility.lp
@pytest.mark.parametrize(
    ARGS,
    [
        case("backstop_today", CRED, ("feasible_now",), ("obstacle(", "reason(feasible_now,")),
        case(
            "russia_no_veto_rejected",
            CRED + "rejected(russia_no_veto).",
            ("obstacle(russia,russia_rejects_coalition,",),
            ("feasible_now",),
        ),
        case(
            "russia_no_veto_rejected_but_russia_accepts",
            CRED + "rejected(russia_no_veto). assume_stance(russia,coalition_guarantees,accept).",
            ("feasible_now",),
            ("obstacle(",),
        ),
        case(
            "russia_no_veto_rejected_no_european_guarantor",
            "set(guarantors,us). set(us_role,backstop). rejected(russia_no_veto).",
            ("feasible_now",),
            ("obstacle(russia,",),
        ),
        case(
            "us_ground_troops",
            CRED + "set(us_role,ground_troops).",
            (
                "needs_us_participation",
                "obstacle(us,us_not_eager,",
                'reason(feasible_now,con,us_not_eager,"the US is reluctant to participate',
            ),
            ("feasible_now",),
        ),
        case(
            "us_treaty_ally",
            "set(guarantors,us). set(us_role,treaty_ally).",
            ("obstacle(us,us_not_eager,",),
            ("feasible_now",),
        ),
        case(
            "us_willing_by_assumption",
            "set(guarantors,us). set(us_role,ground_troops). assume_stance(us,us_participation,willing).",
            ("feasible_now",),
            ("obstacle(",),
        ),
        case(
            "nato_member",
            "set(nato_path,member).",
            ('obstacle(us,trump_may_shift_on_nato,"the US currently opposes the NATO',),
            ("feasible_now",),
        ),
        case("nato_path_promise", "set(nato_path,irreversible_path).", (), ("obstacle(us,trump_may_shift_on_nato,",)),
        case(
            "as_of_oval_office",
            CRED + "set(timing,before_ceasefire). as_of(20250228).",
            ("obstacle(us,new_president_no_boost,", "obstacle(us,oval_office_clash,"),
            ("feasible_now",),
        ),
        case("contingent_without_us", EU, ("obstacle(us,us_support_decisive,",), ("feasible_now",)),
        case(
            "combat_without_us",
            "set(lead,european). set(guarantors,uk). set(western_contingent,combat).",
            ('obstacle(europe,eu_lacks_capacity,"Europe lacks the soldiers',),
        ),
        case(
            "intelligence_without_us",
            "set(guarantors,uk). set(intelligence_sharing,true).",
            ('obstacle(europe,eu_lacks_capacity,"Europe lacks the intelligence-sharing',),
            ("feasible_now",),
        ),
        case(
            "anti_american_format",
            "set(lead,european). set(guarantors,france). set(us_role,none).",
            ("obstacle(coalition_of_the_willing,anti_american_format,",),
            ("feasible_now",),
        ),
        case(
            "inconsistent_without_obstacles",
            # A Western guarantor: without one, Ukraine's guarantees-first stance is an obstacle (poll_64).
            "set(guarantors,uk). set(neutrality,permanent). set(nato_path,irreversible_path).",
            (),
            ("consistent", "feasible_now", "obstacle("),
        ),
    ],
)
def test_feasibility(facts: str, must: tuple[str, ...], must_not: tuple[str, ...], externals: tuple[str, ...]) -> None:
    check_atoms(atoms(facts, upto="feasibility", externals=externals), must, must_not)


def test_each_obstacle_is_a_reason_against_feasibility() -> None:
    # feasibility.lp documents each obstacle as a reason against feasible_now, with the same claim and text.
    for facts in (EU, CRED + "set(us_role,ground_troops). as_of(20250228).", CRED + "rejected(russia_no_veto)."):
        found = atoms(facts, upto="feasibility")
        obstacles = {a.split(",", 1)[1] for a in found if a.startswith("obstacle(")}
        reasons = {a.removeprefix("reason(feasible_now,con,") for a in found if a.startswith("reason(feasible_now,")}
        assert obstacles, facts
        assert reasons == obstacles, facts


def test_each_missing_element_is_a_reason_for_truncation() -> None:
    # models.lp gives every missing element of a followed model as a reason the model is truncated.
    for facts in ("set(model,south_korea).", "set(model,israel).", "set(model,taiwan). set(us_role,intelligence)."):
        found = atoms(facts, upto="models")
        missing = {tuple(a.removeprefix("missing(").rstrip(")").split(",")) for a in found if a.startswith("missing(")}
        reasons = {
            tuple(a.removeprefix("reason(truncated,").split(",")[:2])
            for a in found
            if a.startswith("reason(truncated,")
        }
        assert missing, facts
        assert reasons == {(m, c) for m, _, c in missing}, facts


# ---------------------------------------------------------------- precondition.lp
@pytest.mark.parametrize(
    ARGS,
    [
        case(
            "credible_guarantees_first",
            CRED + "set(sequencing,guarantees_first). set(timing,before_ceasefire).",
            ("precondition_met", "reason(precondition_met,pro,guarantees_precondition,"),
            ("reason(precondition_met,con,",),
        ),
        case(
            "credible_deployed_after_ceasefire",
            CRED + "set(sequencing,guarantees_first). set(timing,after_ceasefire).",
            ("precondition_met",),
            ("reason(precondition_met,con,",),
        ),
        case(
            "credible_but_ceasefire_first",
            CRED + "set(sequencing,ceasefire_first).",
            ('reason(precondition_met,con,guarantees_precondition,"the guarantees are left until after',),
            ("precondition_met", "reason(precondition_met,pro,"),
        ),
        case(
            "not_credible",
            EU + "set(sequencing,guarantees_first).",
            ('reason(precondition_met,con,guarantees_precondition,"the guarantee is not credible',),
            ("precondition_met", "reason(precondition_met,pro,"),
        ),
        case(
            "no_western_guarantor",
            "set(guarantors,china).",
            ("reason(precondition_met,con,poll_64,",),
            ("precondition_met",),
        ),
        case(
            "precondition_claim_rejected",
            "set(guarantors,uk). rejected(guarantees_precondition).",
            ("precondition_met",),
            ("reason(precondition_met,",),
        ),
    ],
)
def test_precondition(facts: str, must: tuple[str, ...], must_not: tuple[str, ...], externals: tuple[str, ...]) -> None:
    check_atoms(atoms(facts, upto="precondition", externals=externals), must, must_not)


# ---------------------------------------------------------------- warnings.lp
@pytest.mark.parametrize(
    ARGS,
    [
        case("permanent_neutrality", "set(neutrality,permanent).", ("warning(blocks_nato_upgrade,may_be_temporary,",)),
        case(
            "closed_nato_path",
            "set(nato_path,closed).",
            ("warning(blocks_nato_upgrade,impossible_later_feasible,",),
            ("warning(blocks_nato_upgrade,may_be_temporary,",),
        ),
        case("open_nato_path", "set(nato_path,open).", (), ("warning(blocks_nato_upgrade,",)),
        case(
            "european_guarantor",
            CRED,
            ("warning(russia_objects,russia_no_veto,", "warning(no_strategic_uncertainty,strategic_uncertainty,"),
        ),
        case(
            "russia_accepts_by_assumption",
            CRED + "assume_stance(russia,coalition_guarantees,accept).",
            (),
            ("warning(russia_objects,",),
        ),
        case("russia_no_veto_rejected", CRED + "rejected(russia_no_veto).", (), ("warning(russia_objects,",)),
        case(
            "unsc_trigger", CRED + "set(activation,unsc_consensus).", ("warning(defers_to_moscow,west_not_deterred,",)
        ),
        case(
            "ambiguity_and_early_stages",
            CRED + "set(strategic_ambiguity,true). set(timing,before_ceasefire).",
            (),
            ("warning(no_strategic_uncertainty,", "warning(no_early_stages,"),
        ),
        case("at_ceasefire", CRED + "set(timing,at_ceasefire).", ("warning(no_early_stages,stages_before_ceasefire,",)),
        case(
            "us_stands_in_the_way",
            "set(guarantors,us). set(us_role,ground_troops).",
            ("warning(us_must_be_persuaded,us_persuasion_slow,",),
        ),
        case("no_us_obstacle", CRED, ("warning(not_cost_optimal,nato_optimal,",), ("warning(us_must_be_persuaded,",)),
        case("nato_member_is_cost_optimal", "set(nato_path,member).", (), ("warning(not_cost_optimal,",)),
        case("cost_claim_rejected", CRED + "rejected(cost_matters).", (), ("warning(not_cost_optimal,",)),
        case(
            "follows_a_gradual_model",
            "set(model,south_korea).",
            ("warning(built_in_stages(south_korea),models_evolved,",),
        ),
        case(
            "ambiguity_with_automatic_trigger",
            CRED + "set(strategic_ambiguity,true). set(activation,automatic).",
            ("warning(ambiguity_vs_automatic,strategic_uncertainty,",),
        ),
        case(
            "automatic_trigger_without_ambiguity",
            CRED + "set(activation,automatic).",
            (),
            ("warning(ambiguity_vs_automatic,",),
        ),
        case("feasible_today", CRED, ("warning(no_quick_success,no_quick_success,",)),
        case("not_feasible_today", CRED + "set(us_role,ground_troops).", (), ("warning(no_quick_success,",)),
        case("empty_proposal", "", (), ("warning(",)),
    ],
)
def test_warnings(facts: str, must: tuple[str, ...], must_not: tuple[str, ...], externals: tuple[str, ...]) -> None:
    check_atoms(atoms(facts, upto="warnings", externals=externals), must, must_not)


def test_warnings_do_not_change_verdicts() -> None:
    # warnings.lp is documented to leave every verdict alone.
    verdicts = ("consistent", "credible", "feasible_now", "precondition_met", "risk(")
    for facts in (CRED, EU, "set(neutrality,permanent).", CRED + "set(activation,unsc_consensus)."):
        before = {a for a in atoms(facts, upto="precondition") if a.startswith(verdicts)}
        after = {a for a in atoms(facts, upto="warnings") if a.startswith(verdicts)}
        assert before == after, facts


def test_main_lp_loads_the_same_program() -> None:
    # rules/main.lp #includes the files this module loads one by one (argmap adds its prelude to both).
    ctl = clingo.Control(["--warn=none"])
    for path in (RULES / "main.lp", *PRELUDE):
        ctl.load(str(path))
    ctl.add("base", [], CRED)
    ctl.ground([("base", [])])
    found: list[frozenset[str]] = []
    ctl.solve(on_model=lambda m: found.append(frozenset(str(s) for s in m.symbols(atoms=True))))
    assert found == [atoms(CRED)]
