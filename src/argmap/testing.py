"""Running scenario cases: verdicts compared, failures explained, coverage measured.

The knowledge base is grounded once (with tracing on, for explanations and
coverage); every case is a solve under assumptions.  Coverage counts a claim
as used when a rule firing in a passing case had ``accepted(Claim)`` in its
body, and a rule as used when it fired: the explanation machinery's records,
not a text search.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import clingo

from .api import Argmap
from .engine import World, _text
from .errors import InputError
from .explain import Explainer
from .kb import head_terms
from .model import ALL, Verdict
from .scenarios import BOOL_EXPECT, Case, discover, load_scenarios
from .verdicts import roadmap_answer, roadmap_verdict, verdict_from_answer
from .whatif import apply_changes

PASSED, FAILED, SKIPPED = "passed", "failed", "skipped"
_ATOM = {
    "consistent": "consistent",
    "credible": "credible",
    "feasible_now": "feasible_now",
    "meets_precondition": "precondition_met",
}


@dataclass(frozen=True)
class Mismatch:
    field: str
    expected: str
    actual: str


@dataclass
class CaseResult:
    case: Case
    status: str
    mismatches: list[Mismatch] = field(default_factory=list)
    explanation: str = ""
    verdict: Verdict | None = None
    claims_used: frozenset[str] = frozenset()
    rules_used: frozenset[int] = frozenset()


@dataclass
class Coverage:
    claims_total: int
    claims_covered: list[str]
    claims_uncovered: list[str]
    record_only: list[str]
    rules_total: int
    rules_covered: int
    rules_uncovered: list[str]  # file:line

    @property
    def percent(self) -> float:
        """Claims covered, as a share of the claims that can be exercised."""
        exercisable = self.claims_total - len(self.record_only)
        return 100.0 * len(self.claims_covered) / exercisable if exercisable else 100.0

    @property
    def rules_percent(self) -> float:
        return 100.0 * self.rules_covered / self.rules_total if self.rules_total else 100.0


@dataclass
class Report:
    results: list[CaseResult]
    coverage: Coverage | None = None

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)


def collect(app: Argmap, paths: Sequence[str], keyword: str | None = None) -> list[Case]:
    """Every case in the scenario files under `paths`, filtered by `-k` keyword expression."""
    cases: list[Case] = []
    for path in discover(list(paths)):
        cases.extend(load_scenarios(path, app.engine.vocabulary).cases)
    if keyword:
        match = keyword_matcher(keyword)
        cases = [c for c in cases if match(c)]
    return cases


def run_case(app: Argmap, case: Case, *, explain: bool = True) -> CaseResult:
    """Run one case on the shared ground program."""
    if case.skip:
        return CaseResult(case, SKIPPED)
    try:
        return _run_case(app, case, explain)
    except InputError as exc:
        if exc.path is None:  # name the case that could not be run
            exc.path, exc.line, exc.key = case.file, case.line, f"case '{case.name}'"
        raise


def _run_case(app: Argmap, case: Case, explain: bool) -> CaseResult:
    engine = app.engine
    proposal, world = apply_changes(case.proposal, World(), list(case.changes), engine.vocabulary)  # type: ignore[arg-type]
    if proposal.phases:
        phases, answer = roadmap_answer(engine, proposal, world, fired=engine.trace)
        verdict = roadmap_verdict(proposal, phases, answer)
    else:
        answer = engine.solve(engine.assumptions(proposal, world), open_aspects=bool(proposal.open), fired=engine.trace)
        verdict = verdict_from_answer(proposal, answer)
    mismatches = compare(case, verdict)
    claims_used, rules_used = _used(answer.fired)
    result = CaseResult(case, FAILED if mismatches else PASSED, mismatches, "", verdict, claims_used, rules_used)
    if mismatches and explain and engine.trace:
        result.explanation = _explain_mismatches(app, answer, mismatches)
    return result


def _used(fired: Iterable[clingo.Symbol]) -> tuple[frozenset[str], frozenset[int]]:
    claims: set[str] = set()
    rules: set[int] = set()
    for f in fired:
        rules.add(f.arguments[0].number)
        for atom in f.arguments[2].arguments:
            if atom.name == "accepted" and len(atom.arguments) == 1:
                claims.add(_text(atom.arguments[0]))
    return frozenset(claims), frozenset(rules)


def _flag(holds: str) -> bool:
    return holds == ALL


def compare(case: Case, v: Verdict) -> list[Mismatch]:
    """What the case expects and the verdict does not give."""
    out: list[Mismatch] = []
    exp = case.expect
    actual_bools = {
        "consistent": v.consistent,
        "credible": v.credible,
        "feasible_now": v.feasible_now,
        "meets_precondition": v.precondition_met,
    }
    for key in BOOL_EXPECT:
        if key in exp.values and exp.values[key] != _flag(actual_bools[key]):
            out.append(Mismatch(key, _b(exp.values[key]), _b(_flag(actual_bools[key]))))
    if "risk" in exp.values:
        actual = " or ".join(v.risk)
        if actual != exp.values["risk"]:
            out.append(Mismatch("risk", str(exp.values["risk"]), actual))
    for pattern in exp.reasons:
        if not any(
            r.basis == pattern.claim and pattern.verdict in (None, r.verdict) and pattern.effect in (None, r.effect)
            for r in v.reasons
        ):
            out.append(
                Mismatch(
                    "reasons",
                    f"includes {pattern}",
                    _listing(f"{r.basis} ({r.verdict}, {r.effect})" for r in v.reasons),
                )
            )
    for name, expected, actual in (
        ("conflicts", exp.conflicts, [c.id for c in v.conflicts]),
        ("truncated", exp.truncated, [t.model for t in v.truncated]),
        ("warnings", exp.warnings, [_warning_id(w.id) for w in (*v.warnings, *v.roadmap_warnings, *v.roadmap_notes)]),
    ):
        missing = [e for e in expected if e not in actual]
        if missing:
            out.append(Mismatch(name, f"includes {', '.join(missing)}", _listing(actual)))
    return out


def _warning_id(wid: str) -> str:
    return wid.split("(", 1)[0]


def _b(value: object) -> str:
    return "true" if value else "false"


def _listing(items: Iterable[str]) -> str:
    items = sorted(set(items))
    return ", ".join(items) if items else "(none)"


def _explain_mismatches(app: Argmap, answer: object, mismatches: list[Mismatch]) -> str:
    from .render_explain import _sentences

    ex = Explainer(app.engine, answer, app.claims)  # type: ignore[arg-type]
    lines: list[str] = []
    seen: set[str] = set()
    for m in mismatches:
        atom = _ATOM.get(m.field)
        if m.field == "risk":
            atom = f"risk({m.actual.split(' or ')[-1]})"
        if atom is None or atom in seen:
            continue
        seen.add(atom)
        sym = clingo.parse_term(atom)
        node = ex.why(sym) if sym in ex.atoms else ex.why_not(sym)
        lines.append(f"Why {m.field} is {m.actual}:")
        lines.extend(_sentences(node, "  ", top=True))
    return "\n".join(lines)


def run(app: Argmap, cases: Sequence[Case], *, coverage: bool = False) -> Report:
    results = [run_case(app, c) for c in cases]
    report = Report(results)
    if coverage:
        report.coverage = measure(app, results)
    return report


def measure(app: Argmap, results: Sequence[CaseResult]) -> Coverage:
    claims = app.claims
    used: set[str] = set()
    rules: set[int] = set()
    for r in results:
        if r.status == PASSED:
            used |= r.claims_used
            rules |= r.rules_used
    record_only = sorted(c for c, claim in claims.items() if claim.record_only)
    exercisable = sorted(c for c in claims if c not in record_only)
    index = app.engine.index
    # Integrity constraints derive nothing, so they never fire: they are not counted.
    kb_rules = [i for i in range(len(index.rules)) if head_terms(index.asts[i])]
    uncovered_rules = sorted(
        {index.rules[i].where for i in kb_rules if i not in rules},
        key=lambda w: (w.rsplit(":", 1)[0], int(w.rsplit(":", 1)[1])),
    )
    covered_where = {index.rules[i].where for i in rules}
    all_where = {index.rules[i].where for i in kb_rules}
    return Coverage(
        claims_total=len(claims),
        claims_covered=sorted(c for c in exercisable if c in used),
        claims_uncovered=[c for c in exercisable if c not in used],
        record_only=record_only,
        rules_total=len(all_where),
        rules_covered=len(covered_where),
        rules_uncovered=[w for w in uncovered_rules if w not in covered_where],
    )


# ---------------------------------------------------------------- -k expressions
#: Bounds on a -k expression (its parser and matcher recurse).
MAX_K_TOKENS = 400
MAX_K_DEPTH = 50


def _depth(tokens: list[str]) -> int:
    """The deepest nesting of parentheses and runs of 'not' in a -k expression."""
    deepest = depth = nots = 0
    for tok in tokens:
        depth += tok == "("
        depth -= tok == ")"
        nots = nots + 1 if tok == "not" else 0
        deepest = max(deepest, depth + nots)
    return deepest


_TOKEN = re.compile(r"\s*(\(|\)|[^\s()]+)")


def keyword_matcher(expr: str):  # type: ignore[no-untyped-def]
    """A pytest-style `-k` expression: words (substrings of a case id, or tags), and/or/not, parentheses."""
    tokens = [t for t in _TOKEN.findall(expr) if t]
    if len(tokens) > MAX_K_TOKENS or _depth(tokens) > MAX_K_DEPTH:
        raise InputError(
            "the -k expression is too complex",
            key="-k",
            expected=f"at most {MAX_K_TOKENS} words and {MAX_K_DEPTH} levels of parentheses or 'not'",
        )
    pos = 0

    def peek() -> str | None:
        return tokens[pos] if pos < len(tokens) else None

    def take() -> str:
        nonlocal pos
        if pos >= len(tokens):
            raise InputError(f"-k expression ends too early: {expr!r}", key="-k")
        pos += 1
        return tokens[pos - 1]

    def parse_or():  # type: ignore[no-untyped-def]
        left = parse_and()
        while peek() == "or":
            take()
            right = parse_and()
            left = (lambda a, b: lambda c: a(c) or b(c))(left, right)
        return left

    def parse_and():  # type: ignore[no-untyped-def]
        left = parse_not()
        while peek() == "and":
            take()
            right = parse_not()
            left = (lambda a, b: lambda c: a(c) and b(c))(left, right)
        return left

    def parse_not():  # type: ignore[no-untyped-def]
        if peek() == "not":
            take()
            inner = parse_not()
            return lambda c: not inner(c)
        return parse_atom()

    def parse_atom():  # type: ignore[no-untyped-def]
        tok = take()
        if tok == "(":
            inner = parse_or()
            if take() != ")":
                raise InputError(f"unbalanced parentheses in -k expression {expr!r}", key="-k")
            return inner
        if tok in ("and", "or", ")"):
            raise InputError(f"unexpected '{tok}' in -k expression {expr!r}", key="-k")
        word = tok.lower()
        return lambda c: word in c.id.lower() or word in (t.lower() for t in c.tags)

    matcher = parse_or()
    if pos != len(tokens):
        raise InputError(f"unexpected '{tokens[pos]}' in -k expression {expr!r}", key="-k")
    return matcher


# ---------------------------------------------------------------- --update
def update_files(results: Sequence[CaseResult]) -> list[str]:
    """Rewrite the expectations of failing cases to the actual verdicts; the files changed.

    Only the keys a case already expects are refreshed (list expectations keep
    the items that still hold).  Comments other than the leading ones are not
    kept: review the diff before committing.
    """
    import yaml

    from .fileio import atomic_write

    by_file: dict[str, list[CaseResult]] = {}
    for r in results:
        if r.status == FAILED and r.verdict is not None:
            by_file.setdefault(r.case.file, []).append(r)
    changed = []
    for path, items in sorted(by_file.items()):
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        header = "".join(line for line in text.splitlines(keepends=True)[:5] if line.startswith("#"))
        data = yaml.safe_load(text)
        for r in items:
            index, vindex = r.case.position
            target = data["scenarios"][index]
            if vindex is not None:
                target = target["variations"][vindex]
            target["expect"] = _refreshed(target.get("expect") or {}, r)
        atomic_write(path, header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100))
        changed.append(path)
    return changed


def _reason_holds(item: object, v: Verdict) -> bool:
    """Whether an expected reason (a claim id, or {claim, verdict, effect}) is among the actual ones."""
    if isinstance(item, str):
        item = {"claim": item}
    if not isinstance(item, dict):
        return False
    return any(
        r.basis == item.get("claim")
        and item.get("verdict") in (None, r.verdict)
        and item.get("effect") in (None, r.effect)
        for r in v.reasons
    )


def _refreshed(expect: dict[str, object], r: CaseResult) -> dict[str, object]:
    v = r.verdict
    assert v is not None
    actual: dict[str, object] = {
        "consistent": _flag(v.consistent),
        "credible": _flag(v.credible),
        "feasible_now": _flag(v.feasible_now),
        "meets_precondition": _flag(v.precondition_met),
        "risk": v.risk[0] if len(v.risk) == 1 else list(v.risk),
    }
    out = dict(expect)
    for key in list(out):
        if key in actual:
            out[key] = actual[key]
    wrong = {m.field for m in r.mismatches}
    if "conflicts" in wrong:
        out["conflicts"] = [c for c in out["conflicts"] if c in {x.id for x in v.conflicts}]  # type: ignore[union-attr]
    if "truncated" in wrong:
        out["truncated"] = [t for t in out["truncated"] if t in {x.model for x in v.truncated}]  # type: ignore[union-attr]
    if "warnings" in wrong:
        out["warnings"] = [w for w in out["warnings"] if w in {_warning_id(x.id) for x in v.warnings}]  # type: ignore[union-attr]
    if "reasons" in wrong:
        out["reasons"] = [item for item in out["reasons"] if _reason_holds(item, v)]  # type: ignore[union-attr]
    return {k: val for k, val in out.items() if val != []}
