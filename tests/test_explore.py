"""Design spaces and `argmap explore`: checked against brute force on a small space."""

from __future__ import annotations

import itertools
import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

import argmap
from argmap.cli import main
from argmap.errors import InputError
from argmap.explore import RISKS, Explorer, explore
from argmap.model import Proposal
from argmap.space import load_space
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


@pytest.fixture(scope="module")
def app() -> argmap.Argmap:
    return argmap.Argmap()


def write(tmp_path: Path, text: str, name: str = "space.yaml") -> str:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return str(path)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory, app: argmap.Argmap):  # type: ignore[no-untyped-def]
    path = write(tmp_path_factory.mktemp("space"), SMALL)
    return load_space(path, app.engine.vocabulary.components)


def brute_force(app: argmap.Argmap, space) -> list[tuple[tuple[tuple[str, str], ...], int, object]]:  # type: ignore[no-untyped-def]
    """Every package of the space, judged one by one with `check` (the slow, obvious way)."""
    keys = sorted(space.choices)
    options = []
    for key in keys:
        values = sorted(space.choices[key])
        if space.arity[key] == "many":
            options.append([c for n in range(len(values) + 1) for c in itertools.combinations(values, n)])
        else:
            options.append([(v,) for v in values])
    forbidden = {kv for c in space.constraints if c.kind == "forbid" for kv in c.settings}
    out = []
    for combo in itertools.product(*options):
        settings = set(space.fixed)
        cost = 0
        for key, values in zip(keys, combo, strict=True):
            for v in values:
                settings.add((key, v))
                cost += space.choices[key][v]
        if settings & forbidden:
            continue
        p = Proposal("x", "x", "x", tuple(sorted(settings)))
        out.append((tuple(sorted(settings)), cost, app.check(p)))
    return out


def test_space_size_counts_subsets_of_list_components(small) -> None:  # type: ignore[no-untyped-def]
    # us_role is a list component: 2^3 subsets; the others choose one value.
    assert small.size() == 8 * 3 * 2 * 2
    assert small.binary_choices() == 6


def test_counts_and_optimum_match_brute_force(app: argmap.Argmap, small) -> None:  # type: ignore[no-untyped-def]
    every = brute_force(app, small)
    consistent = [p for p in every if p[2].consistent == "all"]
    credible = [p for p in every if p[2].credible == "all"]
    result = explore(small, limit=3, count_limit=10_000)
    assert result.counts_exact
    assert result.consistent == len(consistent)
    assert result.credible == len(credible)
    best = min(c for _, c, _ in credible)
    assert {p.settings for p in result.cheapest} == {s for s, c, _ in credible if c == best}
    assert all(p.cost == best for p in result.cheapest)
    assert len(result.examples) == 3
    assert all(app.check(Proposal("e", "e", "e", p.settings)).credible == "all" for p in result.examples)


def test_the_pareto_front_is_exactly_the_non_dominated_points(app: argmap.Argmap, small) -> None:  # type: ignore[no-untyped-def]
    every = [p for p in brute_force(app, small) if p[2].consistent == "all"]
    points = {(c, v.risk[0], v.feasible_now == "all") for _, c, v in every}
    cheapest = {}
    for cost, risk, feasible in points:
        key = (risk, feasible)
        cheapest[key] = min(cost, cheapest.get(key, cost))

    def dominated(a: tuple[int, str, bool]) -> bool:
        return any(
            b != a and b[0] <= a[0] and RISKS.index(b[1]) <= RISKS.index(a[1]) and (b[2] or not a[2])
            for b in ((c, r, f) for (r, f), c in cheapest.items())
        )

    expected = sorted(
        ((c, r, f) for (r, f), c in cheapest.items() if not dominated((c, r, f))),
        key=lambda p: (p[0], RISKS.index(p[1]), not p[2]),
    )
    front = [(p.cost, p.risk, p.feasible_now) for p in explore(small, limit=0).pareto]
    assert front == expected


def test_constraints_are_respected(small) -> None:  # type: ignore[no-untyped-def]
    explorer = Explorer(small)
    for p in explorer.examples(50):
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
    space = load_space(write(tmp_path, text), app.engine.vocabulary.components)
    result = explore(space, limit=2)
    assert result.cheapest == [] and result.credible == 0 and result.examples == []
    assert result.consistent == 2


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
    ],
)
def test_bad_spaces_are_input_errors(
    tmp_path: Path, app: argmap.Argmap, text: str, key: str, suggestion: str | None
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(InputError) as err:
        load_space(path, app.engine.vocabulary.components)
    assert err.value.path == path
    assert err.value.line is not None
    assert err.value.key == key
    assert err.value.suggestion == suggestion


def test_cli_text_json_and_jsonl(tmp_path: Path) -> None:
    path = write(tmp_path, SMALL)
    runner = CliRunner()
    text = runner.invoke(main, ["explore", path, "--limit", "1"])
    assert text.exit_code == 0, text.output
    assert "Cheapest credible packages" in text.stdout
    assert "Why the first optimum is credible" in text.stdout
    data = runner.invoke(main, ["explore", path, "--format", "json"])
    assert data.exit_code == 0
    parsed = json.loads(data.stdout)
    assert parsed["size"] == 96 and parsed["counts_exact"] is True
    assert parsed["cheapest"] and all(p["cost"] == parsed["cheapest"][0]["cost"] for p in parsed["cheapest"])
    again = runner.invoke(main, ["explore", path, "--format", "json"])
    assert again.stdout == data.stdout
    lines = [
        json.loads(line) for line in runner.invoke(main, ["explore", path, "--format", "jsonl"]).stdout.splitlines()
    ]
    assert lines[-1]["event"] == "summary"
    assert {line["event"] for line in lines[:-1]} <= {"improved", "example"}


def test_cli_bad_space_exits_2_without_traceback(tmp_path: Path) -> None:
    path = write(tmp_path, "title: t\nchoices:\n  us_rol: {backstop: 1}\n")
    result = CliRunner().invoke(main, ["explore", path])
    assert result.exit_code == 2
    assert "did you mean 'us_role'" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_large_benchmark_space_is_over_a_billion_packages_and_solves(app: argmap.Argmap) -> None:
    space = load_space(str(REPO / "bench" / "large_space.yaml"), app.engine.vocabulary.components)
    assert space.size() > 10**9 and space.binary_choices() >= 30
    result = explore(space, limit=0, count_limit=10, optima=1)
    assert result.cheapest, "the optimum is found"
    best = result.cheapest[0]
    assert app.check(Proposal("b", "b", "b", best.settings)).credible == "all"
