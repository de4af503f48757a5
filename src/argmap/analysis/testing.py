"""Running scenario cases: verdicts compared, failures explained, coverage measured.

The knowledge base is grounded once, with tracing on (for explanations and
coverage); every case is judged by :func:`argmap.engine.judge.judge`, the path
``check`` takes.  Coverage counts a claim as used when a rule firing in a
passing case had ``accepted(Claim)`` in its body (or, for a rule that fires
only when a claim is rejected, ``not accepted(Claim)``), and a rule as used
when it fired: the explanation machinery's records, not a text search.
"""

from __future__ import annotations

import os
import re
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import clingo

from ..asp.terms import text
from ..engine.control import Answer, Engine
from ..engine.judge import judge
from ..io.scenarios import discover, load_scenarios
from ..model.errors import InputError, closest
from ..model.explanation import Node
from ..model.kb import Vocabulary
from ..model.proposal import World
from ..model.testing import Case, CaseResult, Coverage, Mismatch, ReasonPattern, TestReport
from ..model.verdicts import Reason, Verdict
from .explain import Explainer, verdict_atoms
from .whatif import apply_changes

PASSED, FAILED, SKIPPED = "passed", "failed", "skipped"


def collect(voc: Vocabulary, paths: Sequence[str], keyword: str | None = None) -> list[Case]:
    """Every case in the scenario files under `paths`, filtered by a ``-k`` keyword expression."""
    cases: list[Case] = []
    for path in discover(list(paths)):
        cases.extend(load_scenarios(path, voc).cases)
    if keyword:
        match = keyword_matcher(keyword)
        cases = [c for c in cases if match(c)]
    return cases


def run_case(engine: Engine, case: Case, *, explain: bool = True) -> CaseResult:
    """Run one case on the shared ground program.

    Raises:
        InputError: the case cannot run (named by its file, line and name).
    """
    if case.skip:
        return CaseResult(case, SKIPPED)
    try:
        return _run_case(engine, case, explain)
    except InputError as exc:
        if exc.path is None:  # name the case that could not be run
            exc.path, exc.line, exc.key = case.file, case.line, f"case '{case.name}'"
        raise


def _run_case(engine: Engine, case: Case, explain: bool) -> CaseResult:
    proposal, world = apply_changes(case.proposal, World(), list(case.changes), engine.vocabulary)
    judged = judge(engine, proposal, world, trace=engine.trace)
    verdict = judged.verdict
    mismatches = compare(case, verdict, derivable_findings(engine))
    claims_used, rules_used, blocking = _used(judged.answer.fired)
    result = CaseResult(
        case, FAILED if mismatches else PASSED, mismatches, [], verdict, claims_used, rules_used, blocking
    )
    if mismatches and explain and engine.trace:
        result.explanation = _explain_mismatches(engine, judged.answer, mismatches)
    return result


def _used(fired: Iterable[clingo.Symbol]) -> tuple[frozenset[str], frozenset[int], frozenset[str]]:
    claims: set[str] = set()
    rules: set[int] = set()
    blocking: set[str] = set()
    for f in fired:
        rules.add(f.arguments[0].number)
        for atom in f.arguments[2].arguments:
            if atom.name == "accepted" and len(atom.arguments) == 1:
                claims.add(text(atom.arguments[0]))
        for atom in f.arguments[3].arguments:
            if atom.name == "accepted" and len(atom.arguments) == 1:
                blocking.add(text(atom.arguments[0]))
    return frozenset(claims), frozenset(rules), frozenset(blocking)


def actual(verdict: Verdict, name: str, form: str) -> object:
    """A verdict's value in the form an expectation uses."""
    outcome = verdict[name]
    if form == "bool":
        return outcome.worst
    if form == "holds":
        return outcome.truth
    return outcome.reached if form == "levels" else tuple(sorted(outcome.reached))


def _shown(form: str, value: object) -> str:
    if form == "bool":
        return "true" if value else "false"
    if form == "holds":
        return str(value)
    items = list(value)  # type: ignore[call-overload]
    if not items:
        return "(none)"
    # The levels an open proposal's completions reach read as alternatives; a set's members as a list.
    return (" or " if form == "levels" else ", ").join(items)


def derivable_findings(engine: Engine) -> dict[str, frozenset[str]]:
    """The conflict, warning and note ids some rule of the knowledge base can derive: the first
    arguments of ``conflict/3``, ``warning/3`` and ``note/3`` in the ground program (the inputs are
    open there, so every atom any proposal could make true is in it), a warning's or note's without
    its arguments (:func:`finding_id`).  Read once per grounded engine."""
    found = _DERIVABLE.get(engine)
    if found is None:
        found = _DERIVABLE[engine] = {
            "conflicts": frozenset(text(a.arguments[0]) for a in engine.atoms("conflict", 3)),
            "warnings": frozenset(finding_id(text(a.arguments[0])) for a in engine.atoms("warning", 3)),
            "notes": frozenset(finding_id(text(a.arguments[0])) for a in engine.atoms("note", 3)),
        }
    return found


#: derivable_findings per engine, dropped with the engine.
_DERIVABLE: weakref.WeakKeyDictionary[Engine, dict[str, frozenset[str]]] = weakref.WeakKeyDictionary()


def compare(case: Case, v: Verdict, derivable: dict[str, frozenset[str]] | None = None) -> list[Mismatch]:
    """What the case expects and the verdict does not give.

    With `derivable` (:func:`derivable_findings`), an expected or excluded conflict, warning or note id
    that no rule can derive is a mismatch of its own, said so with a "did you mean": under ``absent:`` a
    misspelt id would otherwise pass for ever.
    """
    out: list[Mismatch] = []
    exp = case.expect
    for name, (form, wanted) in exp.values.items():
        got = actual(v, name, form)
        if got != wanted:
            out.append(Mismatch(name, _shown(form, wanted), _shown(form, got)))

    def matches(pattern: ReasonPattern, r: Reason) -> bool:
        return r.basis == pattern.claim and pattern.verdict in (None, r.verdict) and pattern.effect in (None, r.effect)

    reasons = _listing(f"{r.basis} ({r.verdict}, {r.effect})" for r in v.reasons)
    for pattern in exp.reasons:
        if not any(matches(pattern, r) for r in v.reasons):
            out.append(Mismatch("reasons", f"includes {pattern}", reasons))
    for pattern in exp.absent.get("reasons", ()):
        if any(matches(pattern, r) for r in v.reasons):  # type: ignore[arg-type]
            out.append(Mismatch("absent.reasons", f"excludes {pattern}", reasons))
    found_ids = {
        "conflicts": [c.id for c in v.conflicts],
        "warnings": [finding_id(w.id) for w in v.warnings],
        "notes": [finding_id(n.id) for n in v.notes],
    }
    for name, expected in (("conflicts", exp.conflicts), ("warnings", exp.warnings), ("notes", exp.notes)):
        if derivable is not None:
            known = derivable[name]
            for where, ids in ((name, expected), (f"absent.{name}", exp.absent.get(name, ()))):
                for e in (str(i) for i in ids if str(i) not in known):
                    hint = closest(e, known)
                    out.append(
                        Mismatch(
                            where,
                            f"{e}, which no rule of the knowledge base derives"
                            + (f" (did you mean {hint}?)" if hint else ""),
                            _listing(found_ids[name]),
                            underivable=True,
                        )
                    )
        missing = [e for e in expected if e not in found_ids[name]]
        if derivable is not None:
            missing = [e for e in missing if e in derivable[name]]  # the others are said above
        if missing:
            out.append(Mismatch(name, f"includes {', '.join(missing)}", _listing(found_ids[name])))
        present = [e for e in exp.absent.get(name, ()) if e in found_ids[name]]
        if present:
            out.append(
                Mismatch(f"absent.{name}", f"excludes {', '.join(map(str, present))}", _listing(found_ids[name]))
            )
    return out


def finding_id(wid: str) -> str:
    """A warning's or note's id without its arguments: window(1) -> window."""
    return wid.split("(", 1)[0]


def _listing(items: Iterable[str]) -> str:
    items = sorted(set(items))
    return ", ".join(items) if items else "(none)"


def _explain_mismatches(engine: Engine, answer: Answer, mismatches: list[Mismatch]) -> list[tuple[str, Node]]:
    """For each verdict that does not match, why it has the value it has."""
    ex = Explainer(engine, answer)
    atoms = verdict_atoms(engine, answer)
    out: list[tuple[str, Node]] = []
    for m in mismatches:
        for _, _, atom, holds in atoms:
            if atom.name == m.field:
                out.append((f"Why {m.field} is {m.actual}:", ex.why(atom) if holds else ex.why_not(atom)))
    return out


def run(engine: Engine, cases: Sequence[Case], *, coverage: bool = False) -> TestReport:
    """Run every case (on a traced engine for explanations and coverage), keeping every result."""
    results = [run_case(engine, c) for c in cases]
    report = TestReport(results)
    if coverage:
        report.coverage = measure(engine, results)
    return report


class TestRun:
    """Scenario cases run one at a time, as they are iterated, keeping counts rather than results.

    Iterating yields each case's :class:`CaseResult` as soon as it is judged
    (in the order of `cases`); once the iteration is over, :meth:`count` and
    :attr:`coverage` (with `coverage`) describe the whole run.  Only the
    claims and rules the passing cases used are accumulated, and, with
    `keep_failed` (for ``--update``), the failing results in :attr:`failed`;
    nothing else outlives its case.  Iterate once.

    Raises (while iterating):
        InputError: a case cannot run (named by its file, line and name).
    """

    __test__ = False  # not a pytest class

    def __init__(
        self, engine: Engine, cases: Sequence[Case], *, coverage: bool = False, keep_failed: bool = False
    ) -> None:
        self._engine = engine
        self._cases = cases
        self._measure = coverage
        self._keep_failed = keep_failed
        self._counts = {PASSED: 0, FAILED: 0, SKIPPED: 0}
        self._claims: set[str] = set()
        self._rules: set[int] = set()
        #: The failing results (with `keep_failed`), for rewriting their expectations.
        self.failed: list[CaseResult] = []

    @property
    def total(self) -> int:
        """How many cases the run has (known before it starts)."""
        return len(self._cases)

    def __iter__(self) -> Iterator[CaseResult]:
        for case in self._cases:
            result = run_case(self._engine, case)
            self._counts[result.status] += 1
            if result.status == PASSED and self._measure:
                self._claims |= result.claims_used | result.claims_blocking
                self._rules |= result.rules_used
            elif result.status == FAILED and self._keep_failed:
                self.failed.append(result)
            yield result

    def count(self, status: str) -> int:
        """How many of the cases run so far have `status` (passed, failed or skipped)."""
        return self._counts[status]

    @property
    def coverage(self) -> Coverage | None:
        """Claims and rules the passing cases so far exercised (None unless asked for)."""
        return _coverage(self._engine, self._claims, self._rules) if self._measure else None


def measure(engine: Engine, results: Sequence[CaseResult]) -> Coverage:
    """Claims and rules of the knowledge base that the passing cases exercised."""
    used: set[str] = set()
    rules: set[int] = set()
    for r in results:
        if r.status == PASSED:
            used |= r.claims_used | r.claims_blocking
            rules |= r.rules_used
    return _coverage(engine, used, rules)


def _coverage(engine: Engine, used: set[str], rules: set[int]) -> Coverage:
    """Coverage from the claims and rule numbers the passing cases used."""
    claims = engine.vocabulary.claims
    record_only = sorted(c for c, claim in claims.items() if claim.record_only)
    exercisable = sorted(c for c in claims if c not in record_only)
    index = engine.index
    # Integrity constraints derive nothing, so they never fire: they are not counted.
    kb_rules = [i for i in index.kb_rules() if index.view(i).heads]
    covered_where = {index.rules[i].where for i in rules if not index.rules[i].engine}
    all_where = {index.rules[i].where for i in kb_rules}
    uncovered = sorted(all_where - covered_where, key=lambda w: (w.rsplit(":", 1)[0], int(w.rsplit(":", 1)[1])))
    return Coverage(
        claims_total=len(claims),
        claims_covered=sorted(c for c in exercisable if c in used),
        claims_uncovered=[c for c in exercisable if c not in used],
        record_only=record_only,
        rules_total=len(all_where),
        rules_covered=len(covered_where & all_where),
        rules_uncovered=uncovered,
    )


# ---------------------------------------------------------------- -k expressions
#: Bounds on a -k expression (its parser and matcher recurse).
MAX_K_TOKENS = 400
MAX_K_DEPTH = 50

_TOKEN = re.compile(r"\s*(\(|\)|[^\s()]+)")


def _depth(tokens: list[str]) -> int:
    """The deepest nesting of parentheses and runs of 'not' in a -k expression."""
    deepest = depth = nots = 0
    for tok in tokens:
        depth += tok == "("
        depth -= tok == ")"
        nots = nots + 1 if tok == "not" else 0
        deepest = max(deepest, depth + nots)
    return deepest


_Matcher = Callable[[Case], bool]


def keyword_matcher(expr: str) -> _Matcher:
    """A pytest-style ``-k`` expression: words (substrings of a case id, or tags), and/or/not, parentheses.

    Raises:
        InputError: the expression does not parse, or is too long or deep.
    """
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

    def parse_or() -> _Matcher:
        left = parse_and()
        while peek() == "or":
            take()
            right = parse_and()
            left = (lambda a, b: lambda c: a(c) or b(c))(left, right)
        return left

    def parse_and() -> _Matcher:
        left = parse_not()
        while peek() == "and":
            take()
            right = parse_not()
            left = (lambda a, b: lambda c: a(c) and b(c))(left, right)
        return left

    def parse_not() -> _Matcher:
        if peek() == "not":
            take()
            inner = parse_not()
            return lambda c: not inner(c)
        return parse_atom()

    def parse_atom() -> _Matcher:
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
@dataclass
class Updated:
    """What ``argmap test --update`` did: the files changed; of those, the ones written out whole (their
    layout defeated the in-place edit); and the failing cases it could not make pass (file, case name,
    why): a case whose every expectation would go (one cannot expect nothing), or one whose ``absent:``
    fails (what must not hold is the user's to decide)."""

    changed: list[str] = field(default_factory=list)
    rewritten: list[str] = field(default_factory=list)
    kept: list[tuple[str, str, str]] = field(default_factory=list)


def update_files(results: Sequence[CaseResult]) -> Updated:
    """Rewrite the expectations of failing cases to the actual verdicts.

    Only the keys a case already expects are refreshed (list expectations keep
    the items that still hold; a list left empty goes).  A case that would be
    left expecting nothing is not touched and is reported in ``kept``.  Each
    ``expect`` is edited in the file's text
    (:func:`argmap.io.yamledit.refresh_mapping`): only the values that change
    are replaced, in the style they were written in, and every comment and
    other line stays.  Where a layout defeats that edit (it would not read back
    as the new expectation), the file is loaded and dumped whole instead,
    keeping only its leading comments, its byte order mark and its line ends.
    Each file is replaced atomically.
    """
    from ..io.files import atomic_write
    from ..io.yamledit import EditError, load_data, refresh_mapping, rewrite_whole

    by_file: dict[str, list[CaseResult]] = {}
    for r in results:
        if r.status == FAILED and r.verdict is not None:
            by_file.setdefault(r.case.file, []).append(r)
    done = Updated()
    for path, items in sorted(by_file.items()):
        with open(path, encoding="utf-8", newline="") as handle:  # line ends as written (CRLF stays CRLF)
            source = handle.read()
        data = load_data(source)
        edits: list[tuple[list[str | int], dict[str, object]]] = []
        for r in items:
            index, vindex = r.case.position
            where: list[str | int] = ["scenarios", index] + (["variations", vindex] if vindex is not None else [])
            target = data["scenarios"][index]
            if vindex is not None:
                target = target["variations"][vindex]
            unknown = sorted({m.field for m in r.mismatches if m.underivable})
            if unknown:  # a misspelt id: refreshing would drop it and the author's intent with it
                done.kept.append((path, r.case.name, f"its {', '.join(unknown)} names an id no rule derives; fix it"))
                continue
            refreshed = _refreshed(target.get("expect") or {}, r)
            if not refreshed:
                done.kept.append((path, r.case.name, "nothing it expects still holds; edit it by hand"))
                continue
            absent = sorted({m.field for m in r.mismatches if m.field.startswith("absent.")})
            if absent:
                done.kept.append((path, r.case.name, f"its {', '.join(absent)} fails; edit it by hand"))
            if refreshed != target.get("expect"):
                target["expect"] = refreshed
                edits.append(([*where, "expect"], refreshed))
        if not edits:
            continue
        try:
            text = source
            for where, expect in edits:
                text = refresh_mapping(text, where, expect)
        except EditError:
            text = rewrite_whole(source, data)
            done.rewritten.append(path)
        if text != source:
            atomic_write(os.path.realpath(path), text)  # through a symbolic link, to its target
            done.changed.append(path)
    return done


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
    out = dict(expect)
    for name, (form, _) in r.case.expect.values.items():
        got = actual(v, name, form)
        if form == "levels":
            got = got[0] if len(got) == 1 else list(got)  # type: ignore[index,arg-type]
        elif form == "members":
            got = list(got)  # type: ignore[call-overload]
        out[name] = got
    wrong = {m.field for m in r.mismatches}
    if "conflicts" in wrong:
        out["conflicts"] = [c for c in out["conflicts"] if c in {x.id for x in v.conflicts}]  # type: ignore[union-attr]
    if "warnings" in wrong:
        out["warnings"] = [w for w in out["warnings"] if w in {finding_id(x.id) for x in v.warnings}]  # type: ignore[union-attr]
    if "notes" in wrong:
        out["notes"] = [w for w in out["notes"] if w in {finding_id(x.id) for x in v.notes}]  # type: ignore[union-attr]
    if "reasons" in wrong:
        out["reasons"] = [item for item in out["reasons"] if _reason_holds(item, v)]  # type: ignore[union-attr]
    return {k: val for k, val in out.items() if val != [] or k in r.case.expect.values}
