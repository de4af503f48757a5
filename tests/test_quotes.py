"""The claims of the knowledge base against the source text they quote."""

from __future__ import annotations

import collections
import re
from pathlib import Path

import clingo
import pytest

import argmap
from helpers import FACTS, PRELUDE, ROOT, RULES, SOURCE, normalise, passages

KINDS = {"event", "date", "stance", "causal", "normative", "lesson", "recommendation", "statistic", "assessment"}
NON_CLAIM_BASES = {"definition", "user_assumption"}
MAX_QUOTE = 400

#: `% [id] "quoted words` opening a comment quote; continuation lines start with `%  `.
_COMMENT_QUOTE = re.compile(r'^%\s*\[([a-z][a-z0-9_]*)\]\s*"(.*)$')
_ACCEPTED = re.compile(r"\baccepted\(([a-z][a-z0-9_]*)\)")


@pytest.fixture(scope="module")
def claims(app: argmap.Argmap) -> dict[str, argmap.Claim]:
    return app.claims


@pytest.fixture(scope="module")
def source() -> str:
    return normalise(SOURCE.read_text(encoding="utf-8"))


def _comment_quotes(path: Path) -> list[tuple[int, str, str]]:
    """(line, claim id, quoted text) for every comment quote of a file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found = []
    for i, line in enumerate(lines):
        m = _COMMENT_QUOTE.match(line)
        if not m:
            continue
        cid, text = m.groups()
        j = i + 1
        while '"' not in text and j < len(lines) and lines[j].startswith("%  "):
            text += " " + lines[j][1:].strip()
            j += 1
        assert '"' in text, f"{path.name}:{i + 1}: comment quote for [{cid}] is not closed"
        found.append((i + 1, cid, text.split('"', 1)[0]))
    return found


_QUOTED_FILES = [*sorted(RULES.glob("*.lp")), FACTS / "world.lp"]
COMMENT_QUOTES = [(path, line, cid, text) for path in _QUOTED_FILES for line, cid, text in _comment_quotes(path)]


def _accepted_uses() -> list[tuple[Path, str]]:
    uses = set()
    for path in sorted(RULES.glob("*.lp")):
        uses.update((path, cid) for cid in _ACCEPTED.findall(path.read_text(encoding="utf-8")))
    return sorted(uses)


ACCEPTED_USES = _accepted_uses()


# ---------------------------------------------------------------- the quotes themselves
def test_source_text_is_there(source: str) -> None:
    assert "Security guarantees for Ukraine" in source
    assert len(source) > 5_000


def test_knowledge_base_has_claims(claims: dict[str, argmap.Claim]) -> None:
    assert len(claims) >= 40


def test_every_quote_is_verbatim_in_the_source(claims: dict[str, argmap.Claim], source: str) -> None:
    absent = [(c.id, q) for c in claims.values() for q in passages(c) if normalise(q) not in source]
    assert not absent, f"quotes not found in the source: {absent}"


def test_normalising_does_not_make_everything_match(source: str) -> None:
    # The check above could pass vacuously if normalise() dropped too much.
    assert normalise("Russia would resume the war after a long break") not in source
    assert normalise("Russia would resume the war after a short break") in source


def test_quotes_are_short(claims: dict[str, argmap.Claim]) -> None:
    long = [(c.id, len(q)) for c in claims.values() for q in passages(c) if len(q) >= MAX_QUOTE]
    assert not long


def test_every_claim_has_kind_paraphrase_and_quote(claims: dict[str, argmap.Claim]) -> None:
    for c in claims.values():
        assert c.kind.strip(), c.id
        assert c.paraphrase.strip(), c.id
        assert passages(c) and all(q.strip() for q in passages(c)), c.id


def test_claim_kinds_are_from_the_vocabulary(claims: dict[str, argmap.Claim]) -> None:
    assert {c.kind for c in claims.values()} <= KINDS


def test_paraphrase_is_not_passed_off_as_the_quote(claims: dict[str, argmap.Claim]) -> None:
    assert not [c.id for c in claims.values() if normalise(c.paraphrase) in map(normalise, passages(c))]


def test_claim_ids_are_unique() -> None:
    text = (FACTS / "claims.lp").read_text(encoding="utf-8")
    ids = re.findall(r"^claim\(([a-z][a-z0-9_]*),", text, flags=re.MULTILINE)
    assert ids
    assert [i for i, n in collections.Counter(ids).items() if n > 1] == []


def test_each_claim_has_one_kind(app: argmap.Argmap, claims: dict[str, argmap.Claim]) -> None:
    assert len(app.engine.facts("claim", 2)) == len(claims)


@pytest.mark.parametrize("name", ["paraphrase", "quote", "caveat"])
def test_claim_texts_belong_to_declared_claims(app: argmap.Argmap, claims: dict[str, argmap.Claim], name: str) -> None:
    arity = 3 if name == "caveat" else 2
    ids = {s.arguments[0].name for s in app.engine.facts(name, arity)}
    assert ids - set(claims) == set()


@pytest.mark.parametrize(
    ("name", "arity"),
    [("stance", 5), ("event", 3), ("model_element", 3), ("model_event", 4)],
    ids=["stance/5", "event/3", "model_element/3", "model_event/4"],
)
def test_world_facts_name_real_claims(
    app: argmap.Argmap, claims: dict[str, argmap.Claim], name: str, arity: int
) -> None:
    facts = app.engine.facts(name, arity)
    assert facts, f"no {name}/{arity} facts"
    unknown = sorted({str(s.arguments[-1]) for s in facts} - set(claims))
    assert unknown == []


@pytest.mark.parametrize(("path", "cid"), ACCEPTED_USES, ids=[f"{p.name}:{cid}" for p, cid in ACCEPTED_USES])
def test_accepted_names_a_real_claim(claims: dict[str, argmap.Claim], path: Path, cid: str) -> None:
    assert cid in claims


def test_every_basis_a_rule_can_derive_is_a_claim(claims: dict[str, argmap.Claim]) -> None:
    # Inputs are externals, so the ground program holds every atom any proposal could derive.
    ctl = clingo.Control(["--warn=none"])
    for path in (RULES / "main.lp", *PRELUDE):
        ctl.load(str(path))
    ctl.ground([("base", [])])
    positions = {("reason", 4): 2, ("obstacle", 3): 1, ("warning", 3): 1, ("note", 3): 1}
    positions |= {("conflict", 3): 1, ("clash_basis", 3): 1, ("missing", 3): 2}
    seen: set[str] = set()
    for (name, arity), index in positions.items():
        for atom in ctl.symbolic_atoms.by_signature(name, arity):
            seen.add(str(atom.symbol.arguments[index]))
    assert len(seen) > 20
    assert sorted(seen - set(claims) - NON_CLAIM_BASES) == []


# ---------------------------------------------------------------- comment quotes in rule files
def test_comment_quotes_are_found() -> None:
    assert len(COMMENT_QUOTES) > 30
    assert {p.name for p, *_ in COMMENT_QUOTES} >= {"credibility.lp", "feasibility.lp", "world.lp"}


@pytest.mark.parametrize(
    ("path", "line", "cid", "text"),
    COMMENT_QUOTES,
    ids=[f"{p.parent.name}/{p.name}:{line}:{cid}" for p, line, cid, _ in COMMENT_QUOTES],
)
def test_comment_quote_matches_its_claim(
    claims: dict[str, argmap.Claim], path: Path, line: int, cid: str, text: str
) -> None:
    assert cid in claims, f"{path.name}:{line}: [{cid}] is not a claim"
    quoted = normalise(text)
    assert len(quoted) >= 20, f"{path.name}:{line}: comment quote too short to check"
    # Tolerant: the comment may quote a part of the claim's passage, starting anywhere in it,
    # but its words must be the claim's own.
    assert any(quoted in normalise(q) for q in passages(claims[cid])), (
        f"{path.name}:{line}: comment quote for [{cid}] is not in its quote/2: {quoted[:20]!r}"
    )


@pytest.mark.parametrize(("path", "cid"), ACCEPTED_USES, ids=[f"{p.name}:{cid}" for p, cid in ACCEPTED_USES])
def test_rule_file_quotes_every_claim_it_uses(path: Path, cid: str) -> None:
    assert cid in {c for _, c, _ in _comment_quotes(path)}


# ---------------------------------------------------------------- the article is not copied
def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", normalise(text)) if s]


def _repo_texts() -> dict[str, str]:
    out = {}
    for folder in ("rules", "facts", "src", "proposals"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and path.suffix in {".lp", ".py", ".yaml", ".yml", ".md", ".txt", ".json"}:
                lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
                # Comment markers between lines would hide a copied paragraph.
                out[str(path.relative_to(ROOT))] = normalise(" ".join(ln.strip().lstrip("%#").strip() for ln in lines))
    return out


def test_no_file_holds_three_consecutive_source_sentences() -> None:
    sentences = _sentences(SOURCE.read_text(encoding="utf-8"))
    windows = [" ".join(sentences[i : i + 3]) for i in range(len(sentences) - 2)]
    assert len(windows) > 50
    texts = _repo_texts()
    assert texts
    copied = [(name, w[:60]) for name, text in texts.items() for w in windows if w in text]
    assert copied == []


def test_no_file_holds_a_long_paragraph_of_the_article() -> None:
    paragraphs = [normalise(p) for p in re.split(r"\n\s*\n", SOURCE.read_text(encoding="utf-8"))]
    long = [p for p in paragraphs if len(_sentences(p)) >= 3]
    assert len(long) >= 5
    fifth = long[4]
    for name, text in _repo_texts().items():
        assert fifth not in text, name
        assert not [p[:40] for p in long if p in text], name
