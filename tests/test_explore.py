"""Design spaces and `argmap explore`: checked against brute force on a small space."""

from __future__ import annotations

import importlib
import itertools
import json
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import argmap
from argmap.analysis.explore import Explorer, explore
from argmap.io.spaces import DesignSpace, load_space
from argmap.model.errors import InputError
from argmap.model.proposal import Proposal
from argmap.model.results import Exploration
from argmap.model.verdicts import Verdict
from helpers import ROOT as REPO

SMALL = """
title: A small space
fixed:
  lead: european
  guarantors: [uk, france]
choices:
  us_role: {intelligence: 2, backstop: 3, treaty_ally: 5}
  western_contingent: {none: 0, trainers: 3, tripwire: 5}
  air_defence: {true: 4, false: 0}
  activation: {consultations: 1, unsc_consensus: 0}
constraints:
  - forbid: {us_role: treaty_ally}
    note: no US treaty
"""

Package = tuple[tuple[tuple[str, str], ...], int, Verdict]
Run = Callable[..., Result]


def write(tmp_path: Path, text: str, name: str = "space.yaml") -> str:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return str(path)


@pytest.fixture(scope="module")
def small_path(tmp_path_factory: pytest.TempPathFactory) -> str:
    return write(tmp_path_factory.mktemp("space"), SMALL)


@pytest.fixture(scope="module")
def small(small_path: str, app: argmap.Argmap) -> DesignSpace:
    return load_space(small_path, app.vocabulary)


@pytest.fixture(scope="module")
def explored(small: DesignSpace) -> Exploration:
    """The small space explored with the defaults: the gates as goals, the other verdicts as axes."""
    return explore(small, limit=3, count_limit=10_000)


@pytest.fixture(scope="module")
def every(app: argmap.Argmap, small: DesignSpace) -> list[Package]:
    """Every package of the small space, judged one by one with `check` (the slow, obvious way)."""
    keys = sorted(small.choices)
    options = []
    for key in keys:
        values = sorted(small.choices[key])
        if small.arity[key] == "many":
            options.append([c for n in range(len(values) + 1) for c in itertools.combinations(values, n)])
        else:
            options.append([(v,) for v in values])
    forbidden = {kv for c in small.constraints if c.kind == "forbid" for kv in c.settings}
    out = []
    for combo in itertools.product(*options):
        settings = set(small.fixed)
        cost = 0
        for key, values in zip(keys, combo, strict=True):
            for v in values:
                settings.add((key, v))
                cost += small.choices[key][v]
        if settings & forbidden:
            continue
        p = Proposal("x", "x", "x", tuple(sorted(settings)))
        out.append((tuple(sorted(settings)), cost, app.check(p)))
    return out


def meets(v: Verdict, goals: tuple[str, ...]) -> bool:
    return all(v[g].good for g in goals)


def test_space_size_counts_subsets_of_list_components(small: DesignSpace) -> None:
    # us_role is a list component: 2^3 subsets; the others choose one value.
    assert small.size() == 8 * 3 * 2 * 2
    assert small.binary_choices() == 6


def test_the_defaults_are_the_gates_and_the_other_verdicts(app: argmap.Argmap, explored: Exploration) -> None:
    registry = app.registry
    assert explored.goals == registry.gates == ("consistent", "credible")
    assert explored.axes == tuple(
        s.name for s in registry if s.name not in registry.gates and s.kind in ("bool", "level")
    )
    assert "truncated" not in explored.axes  # a set verdict is no axis


def test_counts_and_optimum_match_brute_force(app: argmap.Argmap, explored: Exploration, every: list[Package]) -> None:
    goals = explored.goals
    assert explored.counts_exact
    assert explored.counts == {
        **{g: sum(1 for *_, v in every if v[g].good) for g in goals},
        "all goals": sum(1 for *_, v in every if meets(v, goals)),
    }
    meeting = [(s, c) for s, c, v in every if meets(v, goals)]
    best = min(c for _, c in meeting)
    assert {p.settings for p in explored.cheapest} == {s for s, c in meeting if c == best}
    assert all(p.cost == best for p in explored.cheapest)
    assert len(explored.examples) == 3
    assert all(meets(app.check(Proposal("e", "e", "e", p.settings)), goals) for p in explored.examples)


def _front(app: argmap.Argmap, every: list[Package], goals: tuple[str, ...], axes: tuple[str, ...]) -> list[Any]:
    """The Pareto front over cost and `axes` among the packages meeting `goals`, by brute force."""
    specs = [app.registry[a] for a in axes]

    def value(v: Verdict, name: str) -> str:
        worst = v[name].worst
        return ("true" if worst else "false") if isinstance(worst, bool) else str(worst)

    cheapest: dict[tuple[str, ...], int] = {}
    for _, cost, v in every:
        if meets(v, goals):
            key = tuple(value(v, a) for a in axes)
            cheapest[key] = min(cost, cheapest.get(key, cost))

    def ranks(key: tuple[str, ...]) -> tuple[int, ...]:
        return tuple(spec.rank(x) for spec, x in zip(specs, key, strict=True))

    def dominated(key: tuple[str, ...]) -> bool:
        return any(
            other != key
            and c <= cheapest[key]
            and all(a <= b for a, b in zip(ranks(other), ranks(key), strict=True))
            and (c < cheapest[key] or ranks(other) != ranks(key))
            for other, c in cheapest.items()
        )

    front = [(cheapest[k], tuple(zip(axes, k, strict=True))) for k in cheapest if not dominated(k)]
    return sorted(front, key=lambda p: (p[0], ranks(tuple(x for _, x in p[1]))))


def test_the_pareto_front_is_exactly_the_non_dominated_points(
    app: argmap.Argmap, explored: Exploration, every: list[Package]
) -> None:
    expected = _front(app, every, explored.goals, explored.axes)
    assert [(p.cost, p.values) for p in explored.pareto] == expected
    assert expected  # not vacuous
    # each point's example meets the goals at that cost, with those values
    for p in explored.pareto:
        v = app.check(Proposal("e", "e", "e", p.example.settings))
        assert meets(v, explored.goals) and p.example.cost == p.cost
        assert all(v[a].holds(x) == "all" for a, x in p.values), p


def test_goals_and_axes_can_be_chosen(app: argmap.Argmap, small: DesignSpace, every: list[Package]) -> None:
    result = explore(small, goals=["consistent"], axes=["risk", "credible"], limit=0, optima=100)
    assert (result.goals, result.axes) == (("consistent",), ("risk", "credible"))
    assert result.counts == {"consistent": sum(1 for *_, v in every if v["consistent"].good)}  # one goal: no total
    meeting = [(s, c) for s, c, v in every if v["consistent"].good]
    best = min(c for _, c in meeting)
    assert {p.settings for p in result.cheapest} == {s for s, c in meeting if c == best}
    assert [(p.cost, p.values) for p in result.pareto] == _front(app, every, ("consistent",), ("risk", "credible"))
    assert len(result.pareto) >= 2  # a real trade-off: cheap and not credible, or dearer and credible
    assert result.examples == []
    assert result.optima_complete  # every optimum found, below --optima
    # A search that reaches --optima stops there, so it cannot know that none is left, and says so.
    cut = explore(small, goals=["consistent"], axes=[], limit=0, optima=len(result.cheapest))
    assert cut.cheapest == result.cheapest and not cut.optima_complete
    none = explore(small, goals=["consistent", "credible"], axes=[], limit=0)
    assert none.axes == () and none.pareto == []


@pytest.mark.parametrize(
    ("goals", "axes", "key", "suggestion"),
    [
        (["credibel"], None, "--goal", "credible"),
        (["credible"], ["truncated"], "--axis", None),
        (["credible"], ["risky"], "--axis", "risk"),
    ],
    ids=["unknown-goal", "set-verdict-axis", "unknown-axis"],
)
def test_a_bad_goal_or_axis_is_refused_before_the_space_is_ground(
    small: DesignSpace,
    monkeypatch: pytest.MonkeyPatch,
    goals: list[str],
    axes: list[str] | None,
    key: str,
    suggestion: str | None,
) -> None:
    def no_grounding(*args: object, **kwargs: object) -> None:
        raise AssertionError("the space was ground before its goals and axes were checked")

    monkeypatch.setattr(importlib.import_module("argmap.analysis.explore"), "Explorer", no_grounding)
    with pytest.raises(InputError) as err:
        explore(small, goals=goals, axes=axes)
    assert err.value.key == key
    assert err.value.suggestion == suggestion


def test_constraints_are_respected(small: DesignSpace, every: list[Package]) -> None:
    explorer = Explorer(small)
    examples = explorer.examples([], 100)
    assert len(examples) == len(every) == 48  # every package the constraint allows, and only those
    for p in examples:
        assert ("us_role", "treaty_ally") not in p.settings
        assert ("lead", "european") in p.settings


def test_a_space_with_no_credible_package_has_no_optimum(tmp_path: Path, app: argmap.Argmap) -> None:
    text = """
    title: Nothing credible
    fixed: {lead: european, guarantors: [uk]}
    choices:
      western_contingent: {none: 0}
      air_defence: {true: 1, false: 0}
    """
    space = load_space(write(tmp_path, text), app.vocabulary)
    result = explore(space, limit=2)
    assert result.cheapest == [] and result.examples == [] and result.pareto == []
    assert result.counts == {"consistent": 2, "credible": 0, "all goals": 0}


# ---------------------------------------------------------------- space files
def test_a_space_file_names_its_goals_and_axes(tmp_path: Path, app: argmap.Argmap, small: DesignSpace) -> None:
    path = write(tmp_path, SMALL + "goals: [consistent]\naxes: [feasible_now, risk]\n")
    space = load_space(path, app.vocabulary)
    assert (space.goals, space.axes) == (("consistent",), ("feasible_now", "risk"))
    assert (small.goals, small.axes) == ((), None)  # none given: the defaults
    result = explore(space, limit=0)
    assert (result.goals, result.axes) == (("consistent",), ("feasible_now", "risk"))
    assert explore(space, goals=["credible"], axes=["risk"], limit=0).axes == ("risk",)  # options win


@pytest.mark.parametrize(
    ("text", "key", "suggestion"),
    [
        ("title: t\nchoices:\n  us_rol: {backstop: 1}\n", "choices.us_rol", "us_role"),
        ("title: t\nchoices:\n  us_role: {backstp: 1}\n", "choices.us_role", "backstop"),
        ("title: t\nchoices:\n  us_role: {backstop: -1}\n", "choices.us_role.backstop", None),
        ("title: t\nchoices:\n  us_role: {backstop: x}\n", "choices.us_role.backstop", None),
        ("title: t\nfixed: {us_role: backstop}\nchoices:\n  us_role: {backstop: 1}\n", "choices.us_role", None),
        ("title: t\nchoices: {us_role: {backstop: 1}}\nconstrants: []\n", "constrants", "constraints"),
        (
            "title: t\nchoices: {us_role: {backstop: 1}}\nconstraints:\n  - {forbid: {us_role: x}}\n",
            "forbid.us_role",
            None,
        ),
        ("choices: {us_role: {backstop: 1}}\n", "title", None),
        ("title: t\nchoices: {us_role: {backstop: 1}}\ngoals: [credibel]\n", "goals", "credible"),
        ("title: t\nchoices: {us_role: {backstop: 1}}\naxes: [truncated]\n", "axes", None),
    ],
    ids=[
        "component-typo",
        "value-typo",
        "negative-cost",
        "text-cost",
        "fixed-and-chosen",
        "top-typo",
        "bad-constraint",
        "no-title",
        "goal-typo",
        "set-verdict-axis",
    ],
)
def test_bad_spaces_are_input_errors(
    tmp_path: Path, app: argmap.Argmap, text: str, key: str, suggestion: str | None
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(InputError) as err:
        load_space(path, app.vocabulary)
    assert err.value.path == path
    assert err.value.line is not None
    assert err.value.key == key
    assert err.value.suggestion == suggestion


def test_a_bad_space_reports_every_error_in_line_order(tmp_path: Path, app: argmap.Argmap) -> None:
    """Each part of a space file is checked on its own, as a proposal file is: five mistakes, five errors."""
    path = write(
        tmp_path,
        "titel: t\n"
        "fixed: {lead: europe}\n"
        "choices:\n"
        "  us_role: {backstop: -1, treaty_ally: 2}\n"
        "  wester_contingent: {none: 0}\n"
        "  nato_path: nope\n",
    )
    with pytest.raises(InputError) as err:
        load_space(path, app.vocabulary)
    found = [(e.line, e.key) for e in err.value.errors()]
    # a misspelt key (with its did-you-mean) hides nothing else and is not followed by "title missing"
    assert found == [
        (1, "titel"),
        (2, "fixed.lead"),
        (4, "choices.us_role.backstop"),
        (5, "choices.wester_contingent"),
        (6, "choices.nato_path"),
    ], found
    assert err.value.suggestion == "title"


# ---------------------------------------------------------------- the command
@pytest.fixture(scope="module")
def cli(app: argmap.Argmap) -> Iterator[Run]:
    """`argmap ARGS` in this process; a run on the shipped knowledge base reuses the session's grounded engines
    (explore grounds each space with the knowledge base itself)."""
    api = importlib.import_module("argmap.api")
    build = api.Argmap._engine
    shipped = {False: app.engine, True: app.traced}  # grounded now, before _engine is replaced

    def engine(self: argmap.Argmap, **kw: Any) -> Any:
        if self.kb.is_shipped and self.timeout is None and set(kw) <= {"trace"}:
            return shipped[bool(kw.get("trace"))]
        return build(self, **kw)

    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(api.Argmap, "_engine", engine)
        yield lambda *args: CliRunner().invoke(importlib.import_module("argmap.cli.root").main, [str(a) for a in args])


def test_cli_text(cli: Run, small_path: str) -> None:
    text = cli("explore", small_path, "--limit", "1")
    assert text.exit_code == 0, text.output
    out = text.stdout
    assert out.startswith(f"A small space\n  {small_path}: 96 packages\n")
    assert "Cheapest consistent and credible packages (cost " in out
    assert "Pareto front over cost, risk, feasible now, precondition (consistent and credible packages):" in out
    assert "Examples of consistent and credible packages:" in out
    assert "\nWhy the first optimum meets the goals:\n" in out
    why = out.split("Why the first optimum meets the goals:\n", 1)[1].splitlines()
    # one explanation per goal, and nothing about the other verdicts
    assert [line.strip() for line in why if line.strip().endswith(": yes")] == ["consistent: yes", "credible: yes"]
    assert any("The guarantee is credible to Russia" in line for line in why)


def test_cli_json_and_jsonl(cli: Run, small_path: str, explored: Exploration) -> None:
    data = cli("explore", small_path, "--format", "json")
    assert data.exit_code == 0
    parsed = json.loads(data.stdout)
    assert parsed["size"] == 96 and parsed["counts_exact"] is True
    assert parsed["goals"] == ["consistent", "credible"]
    assert parsed["counts"] == explored.counts
    assert parsed["cheapest"] and all(p["cost"] == parsed["cheapest"][0]["cost"] for p in parsed["cheapest"])
    assert [(p["cost"], p["values"]) for p in parsed["pareto"]] == [(p.cost, dict(p.values)) for p in explored.pareto]
    again = cli("explore", small_path, "--format", "json")
    assert again.stdout == data.stdout
    lines = [json.loads(line) for line in cli("explore", small_path, "--format", "jsonl").stdout.splitlines()]
    assert lines[-1]["event"] == "summary"
    assert lines[-1]["cheapest"] == parsed["cheapest"]
    assert {line["event"] for line in lines[:-1]} <= {"improved", "example"}
    assert sum(line["event"] == "example" for line in lines) == 5  # the default --limit


def test_cli_goal_and_axis(cli: Run, small_path: str) -> None:
    result = cli("explore", small_path, "--goal", "consistent", "--axis", "risk", "--format", "json", "--limit", "0")
    assert result.exit_code == 0, result.output
    parsed = json.loads(result.stdout)
    assert (parsed["goals"], parsed["axes"]) == (["consistent"], ["risk"])
    assert all(set(p["values"]) == {"risk"} for p in parsed["pareto"])


def test_cli_exits_1_when_no_package_meets_the_goals(cli: Run, tmp_path: Path) -> None:
    path = write(tmp_path, "title: t\nfixed: {lead: european, guarantors: [uk]}\nchoices:\n  air_defence: {true: 1}\n")
    result = cli("explore", path)
    assert result.exit_code == 1, result.output
    assert "No package in the space is consistent and credible." in result.stdout


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--goal", "credibel"), "'credibel' is not a verdict"),
        (("--axis", "truncated"), "'truncated' cannot be an axis"),
    ],
    ids=["goal", "axis"],
)
def test_cli_bad_goal_or_axis_exits_2(cli: Run, small_path: str, args: tuple[str, ...], words: str) -> None:
    result = cli("explore", small_path, *args)
    assert result.exit_code == 2
    assert words in result.stderr
    assert "Traceback" not in result.output


def test_cli_bad_space_exits_2_without_traceback(cli: Run, tmp_path: Path) -> None:
    path = write(tmp_path, "title: t\nchoices:\n  us_rol: {backstop: 1}\n")
    result = cli("explore", path)
    assert result.exit_code == 2
    assert "did you mean 'us_role'" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_large_benchmark_space_is_over_a_billion_packages_and_solves(app: argmap.Argmap) -> None:
    space = load_space(str(REPO / "bench" / "large_space.yaml"), app.vocabulary)
    assert space.size() > 10**9 and space.binary_choices() >= 30
    result = explore(space, axes=[], limit=0, count_limit=10, optima=1)
    assert result.cheapest, "the optimum is found"
    best = result.cheapest[0]
    assert meets(app.check(Proposal("b", "b", "b", best.settings)), result.goals)


@pytest.mark.parametrize(("size", "words"), [(1, "1 package\n"), (2, "2 packages\n"), (1234, "1,234 packages\n")])
def test_the_size_of_a_space_is_counted_in_words(app: argmap.Argmap, size: int, words: str) -> None:
    from argmap.model.results import Exploration
    from argmap.render.text import explore_text

    result = Exploration("t", "s.yaml", size, ("consistent",), (), {"consistent": 0}, 10)
    assert f"  s.yaml: {words}" in explore_text(result, app.vocabulary, ())
