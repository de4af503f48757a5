"""`argmap lint`: each check against a tiny knowledge base that fails it, and the real one that passes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from argmap.cli import main
from argmap.errors import InputError
from argmap.lint import CODES, Finding, closest_passage, failing, lint, normalise
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
%*! rejected(Id)
A claim rejected by a what-if.
*%
%*! accepted(Id)
A claim not rejected.
*%
%*! friendly
Cats are friendly.
*%

#external rejected(C) : claim(C, _).
accepted(C) :- claim(C, _), not rejected(C).
friendly :- accepted(cats).

#show friendly/0.
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
) -> Path:
    """Write a knowledge base (rules/main.lp, facts/claims.lp, source.txt, proposals/) into `tmp`."""
    (tmp / "rules").mkdir()
    (tmp / "facts").mkdir()
    (tmp / "proposals").mkdir()
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


def run_lint(tmp: Path) -> list[Finding]:
    return lint([str(tmp / "rules" / "main.lp")], source=str(tmp / "source.txt"), proposals=str(tmp / "proposals"))


def found(findings: list[Finding]) -> set[tuple[str, str, int]]:
    return {(f.code, f.file, f.line) for f in findings}


# ---------------------------------------------------------------- the clean case
def test_tiny_knowledge_base_is_clean(tmp_path: Path) -> None:
    make_kb(tmp_path)
    assert run_lint(tmp_path) == []


def test_every_code_has_a_severity() -> None:
    assert {sev for sev, _ in CODES.values()} == {"error", "warning"}
    assert sorted(CODES) == [f"AM{n:03d}" for n in range(1, len(CODES) + 1)]


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
    kb = make_kb(tmp_path, claims=CLAIMS.replace("cats are “friendly”", "cats are always friendly"))
    assert lint([str(kb)], proposals=str(tmp_path / "proposals")) == []


def test_normalise_makes_typographic_quotes_plain() -> None:
    assert normalise("it’s  “so”\n ‘here’") == "it's \"so\" 'here'"


def test_closest_passage_picks_the_nearest_sentence() -> None:
    sentences = [s.split() for s in ["The sky is blue.", "Russia would resume the war after a short break.", "Yes."]]
    assert closest_passage("Russia would resume the war after a long break", sentences) == (
        "Russia would resume the war after a short break."
    )


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


def test_undefined_predicate_in_an_aggregate_condition(tmp_path: Path) -> None:
    kb = make_kb(tmp_path, rules=RULES + "%*! many\nMany.\n*%\nmany :- #count { C : claim(C, _), purrs(C) } > 1.\n")
    assert ("AM006", "rules/main.lp", line_of(kb, "purrs(C)")) in found(run_lint(tmp_path))


def test_derived_predicate_that_nothing_uses(tmp_path: Path) -> None:
    kb = make_kb(tmp_path, rules=RULES + "%*! purring\nA cat purrs.\n*%\npurring :- friendly.\n")
    findings = run_lint(tmp_path)
    assert found(findings) == {("AM008", "rules/main.lp", line_of(kb, "purring :- friendly."))}


def test_shown_predicate_is_used(tmp_path: Path) -> None:
    make_kb(tmp_path, rules=RULES + "%*! purring\nA cat purrs.\n*%\npurring :- friendly.\n#show purring/0.\n")
    assert run_lint(tmp_path) == []


def test_predicate_without_docstring(tmp_path: Path) -> None:
    kb = make_kb(tmp_path, rules=RULES.replace("%*! friendly\nCats are friendly.\n*%\n", ""))
    findings = run_lint(tmp_path)
    assert found(findings) == {("AM009", "rules/main.lp", line_of(kb, "friendly :- "))}
    assert "friendly/0" in findings[0].message


def test_docstring_with_the_wrong_arity_does_not_count(tmp_path: Path) -> None:
    make_kb(tmp_path, rules=RULES.replace("%*! rejected(Id)", "%*! rejected(Id, Why)"))
    assert {(f.code, f.message.split()[0]) for f in run_lint(tmp_path)} == {("AM009", "rejected/1")}


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
        ("barks :- accepted(dogs).\n#show barks/0.\n%*! barks\nDogs bark.\n*%\n", ""),
        ("%*! heard(Claim)\nA claim heard.\n*%\n", "heard(dogs).\n"),
        ("%*! record_only(Id, Why)\nNot formalized.\n*%\n", 'record_only(dogs, "an aside").\n'),
        ("", "% NOT FORMALIZED: dogs, an aside about dogs.\n"),
    ],
    ids=["accepted-in-a-rule", "argument-of-a-fact", "record_only-fact", "not-formalized-comment"],
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
    kb = make_kb(tmp_path, rules=RULES + "%*! unsafe(X)\nUnsafe.\n*%\nunsafe(X) :- not friendly.\n#show unsafe/1.\n")
    findings = run_lint(tmp_path)
    assert ("AM010", "rules/main.lp", line_of(kb, "unsafe(X) :-")) in found(findings)


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
@pytest.mark.parametrize("what", ["kb", "source", "proposals"])
def test_missing_inputs_are_input_errors(tmp_path: Path, what: str) -> None:
    kb = make_kb(tmp_path)
    args = {"kb": str(kb), "source": str(tmp_path / "source.txt"), "proposals": str(tmp_path / "proposals")}
    args[what] = str(tmp_path / "nope")
    with pytest.raises(InputError):
        lint([args["kb"]], source=args["source"], proposals=args["proposals"])


# ---------------------------------------------------------------- the command
def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["lint", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def kb_args(tmp: Path) -> list[str]:
    kb, source, proposals = tmp / "rules" / "main.lp", tmp / "source.txt", tmp / "proposals"
    return ["--kb", str(kb), "--source", str(source), "--proposals", str(proposals)]


def test_cli_clean_exits_zero(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_kb(tmp_path, proposals={"bare.yaml": "title: B\nsource: S.\n"})
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "ok.yaml").write_text(PROPOSAL, encoding="utf-8")
    monkeypatch.chdir(tmp_path / "elsewhere")
    kb, source = tmp_path / "rules" / "main.lp", tmp_path / "source.txt"
    assert invoke("--kb", str(kb), "--source", str(source), "--strict")[0] == 0  # no ./proposals here
    monkeypatch.chdir(tmp_path)  # ./proposals is the default
    code, out, _ = invoke("--kb", str(kb), "--source", str(source), "--strict")
    assert (code, out.splitlines()[0]) == (
        1,
        "proposals/bare.yaml:1: AM012 the file does not start with "
        "`# yaml-language-server: $schema=../schema/proposal.schema.json`",
    )
    code, out, _ = invoke(*kb_args(tmp_path), "--proposals", str(tmp_path / "elsewhere"), "--strict")
    assert (code, out) == (0, "0 errors, 0 warnings\n")


def test_cli_text_findings(tmp_path: Path) -> None:
    make_kb(tmp_path, claims=CLAIMS.replace("cats are “friendly”", "cats are always friendly") + DOGS)
    code, out, _ = invoke(*kb_args(tmp_path))
    lines = out.splitlines()
    assert code == 1
    assert lines[0].startswith("facts/claims.lp:3: AM005 quote of cats is not in the source")
    assert "    -always" in lines
    assert any(line.startswith("facts/claims.lp:4: AM007 claim dogs") for line in lines)
    assert lines[-1] == "1 error, 1 warning"


def test_cli_warnings_fail_only_with_strict(tmp_path: Path) -> None:
    make_kb(tmp_path, claims=CLAIMS + DOGS)
    assert invoke(*kb_args(tmp_path))[0] == 0
    assert invoke(*kb_args(tmp_path), "--strict")[0] == 1


def test_cli_json_is_sorted(tmp_path: Path) -> None:
    rules = RULES.replace("%*! friendly\nCats are friendly.\n*%\n", "")
    kb = make_kb(tmp_path, rules=rules, claims=CLAIMS + DOGS, proposals={"b.yaml": "title: B\nsource: S.\n"})
    code, out, _ = invoke(*kb_args(tmp_path), "--format", "json")
    data = json.loads(out)
    assert code == 0  # warnings only
    assert [(d["code"], d["line"]) for d in data] == [("AM012", 1), ("AM007", 4), ("AM009", line_of(kb, "friendly :-"))]
    assert all(set(d) == {"file", "line", "code", "severity", "message"} for d in data)
    assert data == sorted(data, key=lambda d: (d["file"], d["line"], d["code"]))
    assert {d["severity"] for d in data} == {"warning"}


def test_cli_json_quote_finding_has_diff(tmp_path: Path) -> None:
    make_kb(tmp_path, claims=CLAIMS.replace("cats are “friendly”", "cats are always friendly"))
    code, out, _ = invoke(*kb_args(tmp_path), "--format", "json")
    [item] = json.loads(out)
    assert code == 1
    assert (item["code"], item["severity"], item["closest"]) == ("AM005", "error", 'cats are "friendly".')
    assert "-always" in item["diff"]


def test_cli_bad_input_exits_two(tmp_path: Path) -> None:
    make_kb(tmp_path)
    code, out, err = invoke("--kb", str(tmp_path / "rules" / "main.lp"), "--source", str(tmp_path / "nope.txt"))
    assert (code, out) == (2, "")
    assert "nope.txt: error: no such file" in err


def test_cli_same_bytes_every_time(tmp_path: Path) -> None:
    make_kb(tmp_path, claims=CLAIMS + DOGS + 'quote(ghost, "x").\n')
    assert invoke(*kb_args(tmp_path))[1] == invoke(*kb_args(tmp_path))[1]


# ---------------------------------------------------------------- the real knowledge base
def test_real_knowledge_base_is_lint_clean(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    code, out, _ = invoke("--source", str(SOURCE), "--strict")
    assert (code, out) == (0, "0 errors, 0 warnings\n")


def test_real_knowledge_base_quotes_are_really_checked(tmp_path: Path) -> None:
    # The clean run above could pass vacuously: a source without one of the quotes must fail.
    text = SOURCE.read_text(encoding="utf-8").replace("A lot of time had been wasted.", "")
    (tmp_path / "source.txt").write_text(text, encoding="utf-8")
    findings = lint(source=str(tmp_path / "source.txt"))
    assert [(f.code, f.file) for f in findings] == [("AM005", "facts/claims.lp")]
    assert "time_wasted" in findings[0].message
