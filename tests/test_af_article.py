"""The article's framework (facts/af.lp): its ties to the claims, its quotes, what each semantics accepts."""

from __future__ import annotations

import re
from pathlib import Path

import clingo
import pytest

import argmap
from argmap.af import ArticleFramework, acceptance, framework_of, reasoner
from argmap.model.errors import InputError
from helpers import FACTS, ROOT, SOURCE, normalise

AF_LP = FACTS / "af.lp"
ENCODINGS = ROOT / "src" / "argmap" / "lp" / "af"


@pytest.fixture(scope="module")
def article(app: argmap.Argmap) -> ArticleFramework:
    """The shipped knowledge base's own framework, read from its ground facts."""
    return app.framework()


def accepted(article: ArticleFramework, semantics: str) -> tuple[set[str], set[str]]:
    """(credulously, sceptically) accepted argument names."""
    credulous, sceptical = reasoner(article.framework, semantics).acceptance()
    names = article.framework.names
    return {names[i] for i in credulous}, {names[i] for i in sceptical}


# ------------------------------------------------------------------ the ties to the article
def test_every_argument_rests_on_a_claim(app: argmap.Argmap, article: ArticleFramework) -> None:
    assert len(article.framework) >= 12
    for position in article.positions.values():
        assert position.claim in app.claims, position
        assert position.paraphrase == app.claims[position.claim].paraphrase


def test_the_positions_the_brief_asks_for(article: ArticleFramework) -> None:
    fw, claims = article.framework, {p.id: p.claim for p in article.positions.values()}
    attacks = {(fw.names[a], fw.names[b]) for a, b in fw.attacks}
    assert claims["guarantees_first"] == "guarantees_precondition"
    assert claims["us_ceasefire_first"] == "oval_office_clash"
    assert claims["us_no_nato"] == "trump_may_shift_on_nato"
    assert {("us_ceasefire_first", "guarantees_first"), ("guarantees_first", "us_ceasefire_first")} <= attacks
    assert ("us_reversal", "us_ceasefire_first") in attacks
    assert {("russia_no_veto", "russia_objects"), ("west_not_deterred", "russia_objects")} <= attacks
    assert ("us_no_nato", "nato_optimal") in attacks
    assert ("impossible_later_feasible", "us_no_nato") in attacks
    assert {("eu_needs_us", "europe_alone"), ("eu_lacks_capacity", "europe_alone")} <= attacks


def _comment_blocks(text: str) -> list[tuple[int, str]]:
    """(first line, joined text) of each run of comment lines."""
    blocks: list[tuple[int, str]] = []
    start, lines = 0, []
    for number, line in enumerate([*text.splitlines(), ""], 1):
        if line.startswith("%"):
            start = start or number
            lines.append(line.lstrip("%").strip())
        elif lines:
            blocks.append((start, " ".join(lines)))
            start, lines = 0, []
    return blocks


def test_every_quote_is_verbatim_in_the_source() -> None:
    source = normalise(SOURCE.read_text(encoding="utf-8"))
    quotes = [
        (line, q)
        for line, block in _comment_blocks(AF_LP.read_text(encoding="utf-8"))
        for q in re.findall(r'"([^"]+)"', block)
    ]
    assert len(quotes) >= 18
    absent = [(line, q) for line, q in quotes if normalise(q) not in source]
    assert not absent, f"quotes of facts/af.lp not found in the source: {absent}"


def test_every_argument_sits_under_its_claims_quote() -> None:
    """Each af_arg(A, C) has a comment `% [C] "..."` above it, as the rest of the knowledge base does."""
    text = AF_LP.read_text(encoding="utf-8")
    for m in re.finditer(r"^af_arg\((\w+), (\w+)\)\.", text, flags=re.MULTILINE):
        before = text[: m.start()]
        last_quote = re.findall(r'^% \[(\w+)\] "', before, flags=re.MULTILINE)
        assert last_quote and last_quote[-1] == m.group(2), m.group(0)


# ------------------------------------------------------------------ what the semantics say
def test_grounded_accepts_guarantees_first_not_ceasefire_first(article: ArticleFramework) -> None:
    _, grounded = accepted(article, "GR")
    assert "guarantees_first" in grounded
    assert "us_ceasefire_first" not in grounded
    assert {"us_reversal", "contingent_needed", "nato_optimal", "eu_needs_us"} <= grounded
    assert not {"russia_objects", "us_no_nato", "europe_alone"} & grounded


@pytest.mark.parametrize("semantics", ["GR", "ID", "CO", "PR", "ST", "SST", "STG"])
def test_rejected_everywhere(article: ArticleFramework, semantics: str) -> None:
    credulous, sceptical = accepted(article, semantics)
    assert {"guarantees_first", "contingent_needed", "nato_optimal"} <= sceptical
    assert not {"us_ceasefire_first", "russia_objects", "us_no_nato", "europe_alone"} & credulous


def test_guaranteed_guarantees_hang_on_how_eager_the_us_is(article: ArticleFramework) -> None:
    """The open conflict us_not_eager <-> us_promised_support leaves them credulous only."""
    for semantics in ("CO", "PR", "ST", "SST", "STG"):
        credulous, sceptical = accepted(article, semantics)
        assert "guaranteed_guarantees" in credulous - sceptical, semantics
    for semantics in ("GR", "ID"):
        credulous, _ = accepted(article, semantics)
        assert "guaranteed_guarantees" not in credulous, semantics


def test_report_statuses(article: ArticleFramework) -> None:
    report = {a.semantics: a for a in acceptance(article.framework)}
    assert list(report) == ["GR", "ID", "CO", "PR", "ST", "SST", "STG"]
    index = article.framework.names.index
    assert report["PR"].status(index("guaranteed_guarantees")) == "credulous"
    assert report["GR"].status(index("guarantees_first")) == "sceptical"
    assert report["ST"].status(index("europe_alone")) == "none"


def test_plain_clingo_gives_the_same_grounded_extension(article: ArticleFramework) -> None:
    """clingo facts/af.lp src/argmap/lp/af/article.lp src/argmap/lp/af/grounded.lp"""
    ctl = clingo.Control(["--warn=none"])
    for path in (AF_LP, ENCODINGS / "article.lp", ENCODINGS / "grounded.lp"):
        ctl.load(str(path))
    ctl.ground([("base", [])])
    models: list[set[str]] = []
    ctl.solve(on_model=lambda m: models.append({str(s.arguments[0]) for s in m.symbols(shown=True)}))
    _, grounded = accepted(article, "GR")
    assert models == [grounded]


# ------------------------------------------------------------------ a bad framework knowledge base
@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("claim(c, stance).\naf_arg(a, c).\naf_att(a, b).\n", "b is not an argument"),
        ("claim(c, stance).\naf_arg(a, d).\n", "d is not a claim"),
        ("claim(c, stance).\n", "has no argumentation framework"),
        ("claim(c, stance).\naf_arg(a, c).\naf_by(b, us).\n", "b is not an argument"),
        ("claim(c, stance).\naf_arg(a, c).\naf_arg(a, e).\n", "rests on two claims"),
        ('af_arg("a", c).\n', "must be identifiers"),
    ],
)
def test_bad_framework_kb(tmp_path: Path, text: str, fragment: str) -> None:
    path = tmp_path / "af.lp"
    path.write_text(text, encoding="utf-8")
    ctl = clingo.Control(["--warn=none"])
    ctl.load(str(path))
    ctl.ground([("base", [])])

    def facts(name: str, arity: int) -> list[clingo.Symbol]:
        return sorted(a.symbol for a in ctl.symbolic_atoms.by_signature(name, arity) if a.is_fact)

    with pytest.raises(InputError) as err:
        framework_of(facts, str(path))
    assert fragment in str(err.value)
    assert str(path) in str(err.value)
