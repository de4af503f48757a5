"""`argmap lint`: each check against a tiny knowledge base that fails it, and the real one that passes."""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import argmap
from argmap.analysis.lint import closest_passage, lint, normalise
from argmap.engine.kbspec import KnowledgeBase
from argmap.model.errors import InputError
from argmap.model.lint import CODES, Finding, failing
from helpers import ROOT, SOURCE

# ---------------------------------------------------------------- a tiny knowledge base
RULES = """\
% A tiny knowledge base for the lint tests.
#include "../facts/claims.lp".

%*! claim(Id, Kind)
A claim.
*%
%*! paraphrase(Id, Text)
A paraphrase.
*%
%*! quote(Id, Text)
A quote.
*%
%*! verdict(Name, Kind, Label)
A verdict.
*%
%*! reason(Verdict, Effect, Basis, Text)
A reason.
*%
%*! friendly
Cats are friendly.
*%

verdict(friendly, bool, "friendly").
friendly :- accepted(cats).
reason(friendly, pro, cats, "cats are friendly") :- accepted(cats).

#show friendly/0.
#show reason/4.
"""

CLAIMS = """\
claim(cats, causal).
paraphrase(cats, "Cats are friendly.").
quote(cats, "cats are “friendly”").
"""

SOURCE_TEXT = 'Everyone knows that cats are "friendly".\nDogs bark at night.\n'

SCHEMA_LINE = "# yaml-language-server: $schema=../schema/proposal.schema.json\n"
PROPOSAL = SCHEMA_LINE + "title: A test\nsource: Made up for the test.\n"


def make_kb(
    tmp: Path,
    *,
    rules: str = RULES,
    claims: str = CLAIMS,
    proposals: dict[str, str] | None = None,
    config: str = 'kb = "rules/main.lp"\n',
) -> Path:
    """Write a knowledge base (argmap.toml, rules/main.lp, facts/claims.lp, source.txt, proposals/) into `tmp`."""
    (tmp / "rules").mkdir(parents=True)
    (tmp / "facts").mkdir()
    (tmp / "proposals").mkdir()
    (tmp / "argmap.toml").write_text(config, encoding="utf-8")  # the knowledge base's folder: includes stay in it
    (tmp / "rules" / "main.lp").write_text(rules, encoding="utf-8")
    (tmp / "facts" / "claims.lp").write_text(claims, encoding="utf-8")
    (tmp / "source.txt").write_text(SOURCE_TEXT, encoding="utf-8")
    for name, text in (proposals if proposals is not None else {"ok.yaml": PROPOSAL}).items():
        (tmp / "proposals" / name).write_text(text, encoding="utf-8")
    return tmp / "rules" / "main.lp"


def line_of(path: Path, needle: str, nth: int = 1) -> int:
    """The 1-based line of the `nth` line of `path` that contains `needle`."""
    hits = [i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line]
    assert len(hits) >= nth, f"{needle!r} not in {path}"
    return hits[nth - 1]


def kb_of(tmp: Path) -> KnowledgeBase:
    return KnowledgeBase((str(tmp / "rules" / "main.lp"),))


def run_lint(tmp: Path, sources: dict[str, str] | None = None) -> list[Finding]:
    given = {"": str(tmp / "source.txt")} if sources is None else sources
    return lint(kb_of(tmp), sources=given, proposals=[str(tmp / "proposals")])


def found(findings: list[Finding]) -> set[tuple[str, str, int]]:
    return {(f.code, f.file, f.line) for f in findings}


# ---------------------------------------------------------------- the clean case
def test_tiny_knowledge_base_is_clean(tmp_path: Path) -> None:
    make_kb(tmp_path)
    assert run_lint(tmp_path) == []


def test_every_code_has_a_severity() -> None:
    assert {sev for sev, _ in CODES.values()} == {"error", "warning"}
    assert sorted(CODES) == [f"AM{n:03d}" for n in range(1, len(CODES) + 1)]
    assert len(CODES) >= 18


# ---------------------------------------------------------------- claims
def test_claim_without_quote(tmp_path: Path) -> None:
    make_kb(tmp_path, claims=CLAIMS.replace('quote(cats, "cats are “friendly”").\n', ""))
    assert found(run_lint(tmp_path)) == {("AM001", "facts/claims.lp", 1)}


def test_claim_with_empty_quote(tmp_path: Path) -> None:
    make_kb(tmp_path, claims=CLAIMS.replace('"cats are “friendly”"', '"  "'))
    assert ("AM001", "facts/claims.lp", 1) in found(run_lint(tmp_path))


def test_quote_of_undeclared_claim(tmp_path: Path) -> None:
    kb = make_kb(tmp_path, claims=CLAIMS + 'quote(ghost, "Dogs bark at night.").\n')
    assert found(run_lint(tmp_path)) == {
        ("AM002", "facts/claims.lp", line_of(kb.parent.parent / "facts/claims.lp", "ghost"))
    }


def test_claim_id_that_is_not_an_identifier(tmp_path: Path) -> None:
    make_kb(tmp_path, claims=CLAIMS + 'claim("Dogs", causal).\n')
    findings = run_lint(tmp_path)
    assert ("AM002", "facts/claims.lp", 4) in found(findings)
    assert "not an identifier" in next(f.message for f in findings if f.code == "AM002")


def test_claim_declared_twice(tmp_path: Path) -> None:
    make_kb(tmp_path, claims=CLAIMS + "claim(cats, causal).\n")
    findings = run_lint(tmp_path)
    assert found(findings) == {("AM003", "facts/claims.lp", 4)}
    assert "first at facts/claims.lp:1" in findings[0].message


def test_claim_with_two_kinds(tmp_path: Path) -> None:
    make_kb(tmp_path, claims=CLAIMS + "claim(cats, lesson).\n")
    findings = run_lint(tmp_path)
    assert found(findings) == {("AM003", "facts/claims.lp", 4)}
    assert "causal, lesson" in findings[0].message


def test_claim_without_paraphrase_is_a_warning(tmp_path: Path) -> None:
    make_kb(tmp_path, claims=CLAIMS.replace('paraphrase(cats, "Cats are friendly.").\n', ""))
    findings = run_lint(tmp_path)
    assert found(findings) == {("AM004", "facts/claims.lp", 1)}
    assert findings[0].severity == "warning"
    assert not failing(findings, strict=False)
    assert failing(findings, strict=True)


# ---------------------------------------------------------------- quotes
def test_quote_not_in_source(tmp_path: Path) -> None:
    make_kb(tmp_path, claims=CLAIMS.replace("cats are “friendly”", "cats are always friendly"))
    findings = run_lint(tmp_path)
    assert found(findings) == {("AM005", "facts/claims.lp", 3)}
    f = findings[0]
    assert f.closest == 'cats are "friendly".'
    assert "-always" in f.diff.splitlines()
    assert '+"friendly".' in f.diff.splitlines()
    assert f.diff.startswith("--- quote\n+++ source")


def test_quotes_are_not_checked_without_a_source(tmp_path: Path) -> None:
    make_kb(tmp_path, claims=CLAIMS.replace("cats are “friendly”", "cats are always friendly"))
    assert run_lint(tmp_path, sources={}) == []


def test_normalise_makes_typographic_quotes_plain() -> None:
    assert normalise("it’s  “so”\n ‘here’") == "it's \"so\" 'here'"


def test_closest_passage_picks_the_nearest_sentence() -> None:
    sentences = [s.split() for s in ["The sky is blue.", "Russia would resume the war after a short break.", "Yes."]]
    assert closest_passage("Russia would resume the war after a long break", sentences) == (
        "Russia would resume the war after a short break."
    )


# ---------------------------------------------------------------- several sources
#: Two sources: the cats text (the default, id "") and a text about dogs that one claim names.
DOGS_TEXT = "Dogs bark at night, and the neighbours complain.\n"
DOG_CLAIM = (
    'claim(dogs, causal).\nparaphrase(dogs, "Dogs bark.").\nquote(dogs, "Dogs bark at night").\nsource(dogs, kennel).\n'
)
DOG_RULES = (
    RULES.replace("friendly :- accepted(cats).", "friendly :- accepted(cats).\nfriendly :- accepted(dogs).")
    + "%*! source(Claim, Source)\nThe source a claim quotes.\n*%\n"
)


def two_sources(tmp: Path, dogs_text: str = DOGS_TEXT) -> dict[str, str]:
    (tmp / "kennel.txt").write_text(dogs_text, encoding="utf-8")
    return {"": str(tmp / "source.txt"), "kennel": str(tmp / "kennel.txt")}


def test_each_quote_is_checked_against_its_own_source(tmp_path: Path) -> None:
    make_kb(tmp_path, rules=DOG_RULES, claims=CLAIMS + DOG_CLAIM)
    assert run_lint(tmp_path, two_sources(tmp_path)) == []


def test_a_quote_in_another_source_is_not_found(tmp_path: Path) -> None:
    # The dogs quote is in the default source too, but the claim names the kennel text, which lacks it.
    kb = make_kb(tmp_path, rules=DOG_RULES, claims=CLAIMS + DOG_CLAIM)
    findings = run_lint(tmp_path, two_sources(tmp_path, "The neighbours complain.\n"))
    claims = kb.parent.parent / "facts" / "claims.lp"
    assert found(findings) == {("AM005", "facts/claims.lp", line_of(claims, "quote(dogs"))}
    assert "quote of dogs is not in the source kennel" in findings[0].message


def test_a_claim_whose_source_no_option_gives(tmp_path: Path) -> None:
    kb = make_kb(tmp_path, rules=DOG_RULES, claims=CLAIMS + DOG_CLAIM)
    findings = run_lint(tmp_path, {"": str(tmp_path / "source.txt"), "other": str(tmp_path / "source.txt")})
    claims = kb.parent.parent / "facts" / "claims.lp"
    assert found(findings) == {("AM018", "facts/claims.lp", line_of(claims, "quote(dogs"))}
    assert findings[0].severity == "error"
    assert "quotes the source kennel, which no --source gives" in findings[0].message


def test_a_claim_without_a_source_among_several_named_ones(tmp_path: Path) -> None:
    # No default source (id ""): the cats claim names none, so it cannot be checked.
    make_kb(tmp_path, rules=DOG_RULES, claims=CLAIMS + DOG_CLAIM)
    sources = two_sources(tmp_path)
    sources["cats"] = sources.pop("")
    findings = run_lint(tmp_path, sources)
    assert found(findings) == {("AM018", "facts/claims.lp", 3)}
    assert "claim cats names no source" in findings[0].message
    assert "add source(cats, Id) with one of cats, kennel" in findings[0].message


def test_one_source_checks_every_quote_whatever_its_id(tmp_path: Path) -> None:
    make_kb(tmp_path, claims=CLAIMS.replace("cats are “friendly”", "cats are always friendly"))
    assert found(run_lint(tmp_path, {"anything": str(tmp_path / "source.txt")})) == {("AM005", "facts/claims.lp", 3)}


# ---------------------------------------------------------------- predicates
def test_undefined_predicate_in_a_body(tmp_path: Path) -> None:
    kb = make_kb(
        tmp_path, rules=RULES.replace("friendly :- accepted(cats).", "friendly :- accepted(cats), purrs(cats).")
    )
    findings = run_lint(tmp_path)
    assert ("AM006", "rules/main.lp", line_of(kb, "purrs(cats)")) in found(findings)
    assert "purrs/1" in next(f.message for f in findings if f.code == "AM006")


@pytest.mark.parametrize(
    "declaration",
    ["#defined purrs/1.", "#external purrs(cats).", "purrs(dogs)."],
    ids=["defined", "external", "fact"],
)
def test_declared_predicate_is_not_undefined(tmp_path: Path, declaration: str) -> None:
    rules = RULES.replace("friendly :- accepted(cats).", "friendly :- accepted(cats), purrs(cats).")
    rules += f"{declaration}\n%*! purrs(Who)\nWho purrs.\n*%\n"
    make_kb(tmp_path, rules=rules)
    assert run_lint(tmp_path) == []


def test_what_the_prelude_provides_is_not_undefined(tmp_path: Path) -> None:
    rules = RULES.replace("friendly :- accepted(cats).", "friendly :- accepted(cats), not has(cats, grumpy).")
    make_kb(tmp_path, rules=rules)
    assert run_lint(tmp_path) == []


def test_undefined_predicate_in_an_aggregate_condition(tmp_path: Path) -> None:
    kb = make_kb(tmp_path, rules=RULES + "%*! many\nMany.\n*%\nmany :- #count { C : claim(C, _), purrs(C) } > 1.\n")
    assert ("AM006", "rules/main.lp", line_of(kb, "purrs(C)")) in found(run_lint(tmp_path))


def test_derived_predicate_that_nothing_uses(tmp_path: Path) -> None:
    kb = make_kb(tmp_path, rules=RULES + "%*! purring\nA cat purrs.\n*%\npurring :- friendly.\n")
    findings = run_lint(tmp_path)
    assert found(findings) == {("AM008", "rules/main.lp", line_of(kb, "purring :- friendly."))}


def test_predicate_without_docstring(tmp_path: Path) -> None:
    kb = make_kb(tmp_path, rules=RULES.replace("%*! friendly\nCats are friendly.\n*%\n", ""))
    findings = run_lint(tmp_path)
    assert found(findings) == {("AM009", "rules/main.lp", line_of(kb, "friendly :- "))}
    assert "friendly/0" in findings[0].message


def test_docstring_with_the_wrong_arity_does_not_count(tmp_path: Path) -> None:
    make_kb(tmp_path, rules=RULES.replace("%*! quote(Id, Text)", "%*! quote(Id)"))
    assert {(f.code, f.message.split()[0]) for f in run_lint(tmp_path)} == {("AM009", "quote/2")}


# ---------------------------------------------------------------- the verdict contract
def test_a_declared_verdict_no_rule_derives(tmp_path: Path) -> None:
    kb = make_kb(tmp_path, rules=RULES + 'verdict(grumpy, bool, "grumpy").\n#show grumpy/0.\n')
    findings = run_lint(tmp_path)
    assert found(findings) == {("AM013", "rules/main.lp", line_of(kb, "verdict(grumpy"))}
    assert findings[0].severity == "error"
    assert "no rule derives grumpy/0" in findings[0].message


def test_a_level_verdict_is_derived_with_its_level(tmp_path: Path) -> None:
    level = (
        'verdict(mood, level, "mood").\nverdict_level(mood, calm, 1).\nverdict_level(mood, grumpy, 2).\n#show mood/1.\n'
        "%*! mood(Level)\nHow the cat feels.\n*%\n"
    )
    kb = make_kb(tmp_path, rules=RULES + level)
    assert found(run_lint(tmp_path)) == {("AM013", "rules/main.lp", line_of(kb, "verdict(mood"))}
    make_kb(tmp_path / "derived", rules=RULES + level + "mood(calm) :- friendly.\nmood(grumpy) :- not friendly.\n")
    assert run_lint(tmp_path / "derived") == []


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        (
            'reason(grumpy, con, cats, "a cat hisses") :- accepted(cats).',
            "reason/4 for grumpy, which is not a declared",
        ),
        (
            'reason(friendly, high, cats, "a cat hisses") :- accepted(cats).',
            "with the effect high; expected one of: pro",
        ),
        ('reason(friendly, medium, cats, "a cat hisses").', "with the effect medium; expected one of: pro"),
    ],
    ids=["undeclared-verdict", "effect-of-another-kind", "in-a-fact"],
)
def test_a_reason_for_an_undeclared_verdict_or_with_a_wrong_effect(tmp_path: Path, rule: str, words: str) -> None:
    kb = make_kb(tmp_path, rules=RULES + rule + "\n")
    findings = run_lint(tmp_path)
    assert found(findings) == {("AM014", "rules/main.lp", line_of(kb, rule[:30]))}
    assert words in findings[0].message
    assert findings[0].severity == "error"


def test_a_show_of_a_predicate_argmap_does_not_read(tmp_path: Path) -> None:
    kb = make_kb(tmp_path, rules=RULES + "%*! purring\nA cat purrs.\n*%\npurring :- friendly.\n#show purring/0.\n")
    findings = run_lint(tmp_path)
    # shown, so not unused (AM008); but argmap reads only verdicts and reason/conflict/involves/warning/note
    assert found(findings) == {("AM015", "rules/main.lp", line_of(kb, "#show purring/0."))}
    assert findings[0].severity == "warning"
    assert "neither a declared verdict nor a predicate argmap reads" in findings[0].message


@pytest.mark.parametrize("shown", ["warning/3", "note/3"])
def test_a_show_of_what_argmap_reads_is_fine(tmp_path: Path, shown: str) -> None:
    name = shown.split("/")[0]
    extra = (
        f'{name}(purrs, cats, "the cat purrs") :- friendly.\n#show {shown}.\n%*! {name}(Id, Basis, Text)\nSaid.\n*%\n'
    )
    make_kb(tmp_path, rules=RULES + extra)
    assert run_lint(tmp_path) == []


def test_a_verdict_that_is_not_shown(tmp_path: Path) -> None:
    kb = make_kb(tmp_path, rules=RULES.replace("#show friendly/0.\n", ""))
    findings = run_lint(tmp_path)
    # reported where the verdict is declared, not as a load failure; and a verdict is never "unused"
    assert found(findings) == {("AM016", "rules/main.lp", line_of(kb, "verdict(friendly"))}
    assert "the verdict friendly is not shown (#show friendly/0.)" in findings[0].message


def test_what_argmap_reads_must_be_shown(tmp_path: Path) -> None:
    kb = make_kb(tmp_path, rules=RULES.replace("#show reason/4.\n", ""))
    findings = run_lint(tmp_path)
    assert found(findings) == {("AM016", "rules/main.lp", line_of(kb, "reason(friendly"))}
    assert "reason/4 is not shown" in findings[0].message
    extra = 'warning(purrs, cats, "the cat purrs") :- friendly.\n%*! warning(Id, Basis, Text)\nSaid.\n*%\n'
    kb = make_kb(tmp_path / "warning", rules=RULES + extra)
    assert found(run_lint(tmp_path / "warning")) == {("AM016", "rules/main.lp", line_of(kb, "warning(purrs"))}


def test_without_any_show_everything_is_shown(tmp_path: Path) -> None:
    make_kb(tmp_path, rules=RULES.replace("#show friendly/0.\n#show reason/4.\n", ""))
    assert run_lint(tmp_path) == []


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("accepted(dogs).", "accepted/1 is defined here, but argmap's prelude provides it"),
        ("has(cats, grumpy) :- friendly.", "has/2 is defined here, but argmap's prelude provides it"),
        ("#external rejected(cats).", "rejected/1 is defined here, but argmap's prelude provides it"),
        ("__mine :- friendly.", "__mine/0 is defined here, but names starting with __ are argmap's own"),
    ],
    ids=["prelude-fact", "prelude-rule", "prelude-external", "reserved-name"],
)
def test_defining_what_the_prelude_provides(tmp_path: Path, text: str, words: str) -> None:
    kb = make_kb(tmp_path, rules=RULES + text + "\n")
    findings = [f for f in run_lint(tmp_path) if f.code == "AM017"]
    assert found(findings) == {("AM017", "rules/main.lp", line_of(kb, text))}
    assert words in findings[0].message
    assert findings[0].severity == "error"


def test_declaring_what_argmap_reads_is_not_defining_the_prelude(tmp_path: Path) -> None:
    # component/3, value/2, claim/2, verdict/3 ... are the knowledge base's to declare, though the prelude reads them
    extra = 'component(size, one, "how big").\nvalue(size, (small; big)).\n'
    extra += "%*! component(Key, Arity, Doc)\nA component.\n*%\n%*! value(Key, Value)\nA value.\n*%\n"
    make_kb(tmp_path, rules=RULES + extra)
    assert run_lint(tmp_path) == []


# ---------------------------------------------------------------- unused claims
DOGS = 'claim(dogs, causal).\nparaphrase(dogs, "Dogs bark.").\nquote(dogs, "Dogs bark at night.").\n'


def test_claim_nothing_uses(tmp_path: Path) -> None:
    make_kb(tmp_path, claims=CLAIMS + DOGS)
    findings = run_lint(tmp_path)
    assert found(findings) == {("AM007", "facts/claims.lp", 4)}
    assert findings[0].severity == "warning"


@pytest.mark.parametrize(
    ("rules_extra", "claims_extra"),
    [
        ("friendly :- accepted(dogs).\n", ""),
        ("friendly :- not accepted(dogs), accepted(cats).\n", ""),
        ("%*! heard(Claim)\nA claim heard.\n*%\n", "heard(dogs).\n"),
        ("%*! record_only(Id, Why)\nNot formalized.\n*%\n", 'record_only(dogs, "an aside").\n'),
        ("", "% NOT FORMALIZED: dogs, an aside about dogs.\n"),
    ],
    ids=["accepted-in-a-rule", "under-negation", "argument-of-a-fact", "record_only-fact", "not-formalized-comment"],
)
def test_claim_that_is_used_or_marked(tmp_path: Path, rules_extra: str, claims_extra: str) -> None:
    make_kb(tmp_path, rules=RULES + rules_extra, claims=CLAIMS + DOGS + claims_extra)
    assert run_lint(tmp_path) == []


# ---------------------------------------------------------------- loading and grounding
def test_knowledge_base_that_does_not_parse(tmp_path: Path) -> None:
    kb = make_kb(tmp_path, rules=RULES + "broken :- .\nfriendly :- (.\n")
    findings = run_lint(tmp_path)
    assert found(findings) == {("AM010", "rules/main.lp", line_of(kb, "friendly :- ("))}
    assert findings[0].severity == "error"


def test_knowledge_base_that_does_not_ground(tmp_path: Path) -> None:
    kb = make_kb(tmp_path, rules=RULES + "%*! unsafe(X)\nUnsafe.\n*%\nunsafe(X) :- not friendly.\n")
    findings = run_lint(tmp_path)
    assert ("AM010", "rules/main.lp", line_of(kb, "unsafe(X) :-")) in found(findings)


def test_an_include_out_of_the_knowledge_base_s_folder(tmp_path: Path) -> None:
    kb = make_kb(tmp_path / "kb", rules=RULES.replace('"../facts/claims.lp"', '"../../elsewhere.lp"'))
    (tmp_path / "elsewhere.lp").write_text(CLAIMS, encoding="utf-8")
    findings = run_lint(tmp_path / "kb")
    assert found(findings) == {("AM010", "rules/main.lp", line_of(kb, "#include"))}
    assert "leads outside the knowledge base's folder" in findings[0].message


def test_proposal_that_does_not_load(tmp_path: Path) -> None:
    make_kb(tmp_path, proposals={"typo.yaml": PROPOSAL + "lead: european\n"})
    findings = run_lint(tmp_path)
    path = str(tmp_path / "proposals" / "typo.yaml")
    assert found(findings) == {("AM011", path, 4)}
    assert "unknown key" in findings[0].message


def test_proposal_the_knowledge_base_rejects(tmp_path: Path) -> None:
    make_kb(tmp_path, rules=RULES + ":- friendly.\n")
    findings = run_lint(tmp_path)
    assert found(findings) == {("AM011", str(tmp_path / "proposals" / "ok.yaml"), 1)}
    assert "no answer" in findings[0].message


# ---------------------------------------------------------------- $schema comments
@pytest.mark.parametrize(
    ("first_line", "message"),
    [
        ("# a proposal\n", "does not start with"),
        ("# yaml-language-server: $schema=schema/proposal.schema.json\n", "points at schema/proposal.schema.json"),
    ],
    ids=["missing", "wrong-target"],
)
def test_proposal_without_schema_comment(tmp_path: Path, first_line: str, message: str) -> None:
    make_kb(tmp_path, proposals={"bare.yaml": PROPOSAL.replace(SCHEMA_LINE, first_line)})
    findings = run_lint(tmp_path)
    assert found(findings) == {("AM012", str(tmp_path / "proposals" / "bare.yaml"), 1)}
    assert message in findings[0].message
    assert findings[0].severity == "warning"


# ---------------------------------------------------------------- bad input
@pytest.mark.parametrize("what", ["source", "proposals"])
def test_missing_inputs_are_input_errors(tmp_path: Path, what: str) -> None:
    make_kb(tmp_path)
    args = {"source": str(tmp_path / "source.txt"), "proposals": str(tmp_path / "proposals")}
    args[what] = str(tmp_path / "nope")
    with pytest.raises(InputError):
        lint(kb_of(tmp_path), sources={"": args["source"]}, proposals=[args["proposals"]])


def test_a_missing_entry_file_is_a_finding(tmp_path: Path) -> None:
    # (On the command line the knowledge base is read before lint runs: exit 2, see test_cli_bad_input_exits_two.)
    findings = lint(KnowledgeBase((str(tmp_path / "nope.lp"),)))
    assert [(f.code, f.severity) for f in findings] == [("AM010", "error")]
    assert "nope.lp" in findings[0].file + findings[0].message


# ---------------------------------------------------------------- the command
Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def probed(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, ...]]:
    """The knowledge bases (entry files) that were to be ground in a child process first.  The probe reads the
    files as it would, but starts no child (argmap.engine.guard, tested in test_guard.py): lint grounds them anyway."""
    calls: list[tuple[str, ...]] = []

    def probe(kb: KnowledgeBase, **_: object) -> None:
        kb.sources()  # an unreadable or refused file is an input error at once
        calls.append(kb.files)

    monkeypatch.setattr(importlib.import_module("argmap.engine.guard"), "probe", probe)
    return calls


@pytest.fixture
def invoke(app: argmap.Argmap, monkeypatch: pytest.MonkeyPatch, probed: list[tuple[str, ...]]) -> Run:
    """`argmap lint ARGS` in this process, as on the command line, except that a run on the shipped
    knowledge base reuses the session's grounded engines instead of grounding its own."""
    cli_main = importlib.import_module("argmap.cli.root")

    def open_app(kb: tuple[str, ...] = (), layers: tuple[str, ...] = ()) -> argmap.Argmap:
        opened = cli_main.open_app(kb, layers)
        if opened.kb.is_shipped and opened.timeout is None:
            opened.__dict__.update(engine=app.engine, traced=app.traced)
        return opened

    monkeypatch.setattr(importlib.import_module("argmap.cli.lint"), "open_app", open_app)

    def run(*args: object) -> tuple[int, str, str]:
        result: Result = CliRunner().invoke(cli_main.main, ["lint", *map(str, args)])
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        return result.exit_code, result.stdout, result.stderr

    return run


def kb_args(tmp: Path) -> list[str]:
    kb, source, proposals = tmp / "rules" / "main.lp", tmp / "source.txt", tmp / "proposals"
    return ["--kb", str(kb), "--source", str(source), "--proposals", str(proposals)]


def test_cli_text_findings_and_exit_codes(invoke: Run, probed: list[tuple[str, ...]], tmp_path: Path) -> None:
    make_kb(tmp_path, claims=CLAIMS.replace("cats are “friendly”", "cats are always friendly") + DOGS)
    code, out, _ = invoke(*kb_args(tmp_path))
    assert probed == [(str(tmp_path / "rules" / "main.lp"),)]  # a knowledge base not argmap's own is probed first
    lines = out.splitlines()
    assert code == 1
    assert lines[0].startswith("facts/claims.lp:3: AM005 quote of cats is not in the source")
    assert "    -always" in lines
    assert any(line.startswith("facts/claims.lp:4: AM007 claim dogs") for line in lines)
    assert lines[-1] == "2 findings (1 error)."


def test_cli_warnings_fail_only_with_strict(invoke: Run, tmp_path: Path) -> None:
    make_kb(tmp_path, claims=CLAIMS + DOGS)
    code, out, _ = invoke(*kb_args(tmp_path))
    assert (code, out.splitlines()[-1]) == (0, "1 finding (0 errors).")
    assert invoke(*kb_args(tmp_path), "--strict")[0] == 1


def test_cli_json_is_sorted_and_quote_findings_have_a_diff(invoke: Run, tmp_path: Path) -> None:
    rules = RULES.replace("%*! friendly\nCats are friendly.\n*%\n", "")
    claims = CLAIMS.replace("cats are “friendly”", "cats are always friendly") + DOGS
    kb = make_kb(tmp_path, rules=rules, claims=claims, proposals={"b.yaml": "title: B\nsource: S.\n"})
    code, out, _ = invoke(*kb_args(tmp_path), "--format", "json")
    data = json.loads(out)
    assert code == 1
    proposal = str(tmp_path / "proposals" / "b.yaml")
    assert [(d["file"], d["line"], d["code"]) for d in data] == sorted(
        [
            ("facts/claims.lp", 3, "AM005"),
            ("facts/claims.lp", 4, "AM007"),
            ("rules/main.lp", line_of(kb, "friendly :-"), "AM009"),
            (proposal, 1, "AM012"),
        ]
    )
    severity = {d["code"]: d["severity"] for d in data}
    assert severity == {"AM005": "error", "AM007": "warning", "AM009": "warning", "AM012": "warning"}
    (quote,) = [d for d in data if d["code"] == "AM005"]
    assert set(quote) == {"file", "line", "code", "severity", "message", "closest", "diff"}
    assert quote["closest"] == 'cats are "friendly".'
    assert "-always" in quote["diff"]
    assert all(set(d) == {"file", "line", "code", "severity", "message"} for d in data if d is not quote)
    assert invoke(*kb_args(tmp_path), "--format", "json")[1] == out  # the same bytes every time


def test_cli_several_sources_by_id(invoke: Run, tmp_path: Path) -> None:
    kb = make_kb(tmp_path, rules=DOG_RULES, claims=CLAIMS + DOG_CLAIM)
    sources = two_sources(tmp_path, "The neighbours complain.\n")
    base = ["--kb", kb, "--proposals", tmp_path / "proposals"]
    code, out, _ = invoke(*base, "--source", sources[""], "--source", f"kennel={sources['kennel']}")
    assert code == 1
    at = line_of(tmp_path / "facts" / "claims.lp", "quote(dogs")
    assert out.splitlines()[0].startswith(f"facts/claims.lp:{at}: AM005 quote of dogs is not in the source kennel")
    code, out, _ = invoke(*base, "--source", sources[""])
    assert code == 1
    assert "AM018 claim dogs quotes the source kennel, which no --source gives" in out
    code, _, err = invoke(*base, "--source", sources[""], "--source", sources["kennel"])
    assert code == 2
    assert "two sources are named '(the default)'" in err


def test_cli_reads_the_project_config(invoke: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # argmap.toml names the knowledge base, its sources and its proposals: `argmap lint` needs no option.
    config = 'kb = "rules/main.lp"\nproposals = ["proposals"]\n[sources]\nkennel = "kennel.txt"\ncats = "source.txt"\n'
    claims = CLAIMS.replace("claim(cats, causal).", "claim(cats, causal).\nsource(cats, cats).") + DOG_CLAIM
    make_kb(tmp_path, rules=DOG_RULES, claims=claims, config=config)
    two_sources(tmp_path)
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    assert invoke("--strict") == (0, "0 findings (0 errors).\n", "")
    (tmp_path / "kennel.txt").write_text("The neighbours complain.\n", encoding="utf-8")
    code, out, _ = invoke()
    assert code == 1
    at = line_of(tmp_path / "facts" / "claims.lp", "quote(dogs")
    assert out.startswith(f"facts/claims.lp:{at}: AM005 quote of dogs is not in the source kennel")


def test_cli_proposals_default_to_the_proposals_folder(
    invoke: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_kb(tmp_path, proposals={"bare.yaml": "title: B\nsource: S.\n"})
    (tmp_path / "argmap.toml").unlink()  # no config: the knowledge base's folder is rules/, so no include out of it
    (tmp_path / "rules" / "main.lp").write_text(
        RULES.replace('#include "../facts/claims.lp".', CLAIMS), encoding="utf-8"
    )
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "ok.yaml").write_text(PROPOSAL, encoding="utf-8")
    kb, source = tmp_path / "rules" / "main.lp", tmp_path / "source.txt"
    monkeypatch.chdir(tmp_path / "elsewhere")  # no ./proposals here
    assert invoke("--kb", kb, "--source", source, "--strict")[0] == 0
    monkeypatch.chdir(tmp_path)  # ./proposals is the default
    code, out, _ = invoke("--kb", kb, "--source", source, "--strict")
    assert (code, out.splitlines()[0]) == (
        1,
        "proposals/bare.yaml:1: AM012 the file does not start with "
        "`# yaml-language-server: $schema=../schema/proposal.schema.json`",
    )


@pytest.mark.parametrize("what", ["kb", "source", "proposals"])
def test_cli_bad_input_exits_two(invoke: Run, tmp_path: Path, what: str) -> None:
    make_kb(tmp_path)
    args = {
        "kb": tmp_path / "rules" / "main.lp",
        "source": tmp_path / "source.txt",
        "proposals": tmp_path / "proposals",
    }
    args[what] = tmp_path / "nope.txt"
    code, out, err = invoke(*(x for key, value in args.items() for x in (f"--{key}", value)))
    assert (code, out) == (2, "")
    assert err.startswith("argmap: ") and "nope.txt" in err
    assert "Traceback" not in err


# ---------------------------------------------------------------- the real knowledge base
def test_real_knowledge_base_is_lint_clean(
    invoke: Run, probed: list[tuple[str, ...]], monkeypatch: pytest.MonkeyPatch
) -> None:
    # In the repository, the config gives the source text and the proposals folder.
    monkeypatch.chdir(ROOT)
    code, out, _ = invoke("--strict")
    assert (code, out) == (0, "0 findings (0 errors).\n")
    assert probed == []  # argmap's own knowledge base is trusted


def test_real_knowledge_base_quotes_are_really_checked(tmp_path: Path) -> None:
    # The clean run above could pass vacuously: a source without one of the quotes must fail.
    text = SOURCE.read_text(encoding="utf-8").replace("A lot of time had been wasted.", "")
    (tmp_path / "source.txt").write_text(text, encoding="utf-8")
    findings = lint(KnowledgeBase.shipped(), sources={"solodkyy": str(tmp_path / "source.txt")})
    assert [(f.code, f.file) for f in findings] == [("AM005", "facts/claims.lp")]
    assert "time_wasted" in findings[0].message
