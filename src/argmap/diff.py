"""Verdict diff between two versions of a knowledge base.

The base is a git revision (its ``rules/`` and ``facts/`` are extracted with
``git archive`` into a temporary folder) or a folder holding a knowledge base.
Each side is grounded once; every example proposal and every scenario case is
solved on both, and each verdict that changed is listed with its explanation
before and after.
"""

from __future__ import annotations

import os
import subprocess
import tarfile
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field

import clingo

from .api import Argmap, expand_paths
from .engine import World
from .errors import InputError
from .explain import Explainer
from .model import Proposal, Verdict
from .render_explain import _sentences
from .scenarios import discover, load_scenarios
from .verdicts import verdict_from_answer
from .whatif import FIELDS, Change, apply_changes, value_of

_ATOMS = {
    "consistent": "consistent",
    "credible": "credible",
    "feasible_now": "feasible_now",
    "precondition_met": "precondition_met",
}


@dataclass(frozen=True)
class Subject:
    """Something judged on both sides: an example proposal or a scenario case."""

    id: str
    proposal_path: str | None
    inline: object | None = None  # a scenario's proposal node, re-validated on each side
    changes: tuple[Change, ...] = ()
    #: Set when the subject could not even be read (e.g. a scenario file invalid under the new KB).
    error: str | None = None


@dataclass
class VerdictChange:
    field: str
    before: str
    after: str
    why_before: str
    why_after: str


@dataclass
class SubjectDiff:
    id: str
    changes: list[VerdictChange] = field(default_factory=list)
    error: str | None = None


def kb_from_revision(repo: str, rev: str, into: str) -> list[str]:
    """Extract `rev`'s rules/ and facts/ into `into`; the knowledge-base file list."""
    try:
        top = (
            subprocess.run(["git", "-C", repo, "rev-parse", "--show-toplevel"], check=True, capture_output=True)
            .stdout.decode("utf-8", "replace")
            .strip()
        )
        data = subprocess.run(
            ["git", "-C", top, "archive", "--format=tar", rev, "rules", "facts"],
            check=True,
            capture_output=True,
        ).stdout
    except FileNotFoundError:
        raise InputError("git is not installed", key="--base") from None
    except subprocess.CalledProcessError as exc:
        message = exc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InputError(
            f"cannot read revision '{rev}': {message[-1] if message else 'git failed'}",
            key="--base",
            expected="a git revision such as HEAD~1 or main",
        ) from None
    path = os.path.join(into, "kb.tar")
    with open(path, "wb") as handle:
        handle.write(data)
    with tarfile.open(path) as tar:
        tar.extractall(into, filter="data")
    main = os.path.join(into, "rules", "main.lp")
    if not os.path.isfile(main):
        raise InputError(f"revision '{rev}' has no rules/main.lp", key="--base")
    return [main]


def kb_from_folder(folder: str) -> list[str]:
    main = os.path.join(folder, "rules", "main.lp")
    if os.path.isfile(folder) and folder.endswith(".lp"):
        return [folder]
    if not os.path.isfile(main):
        raise InputError("no knowledge base here", path=folder, expected="a folder with rules/main.lp, or a .lp file")
    return [main]


def subjects(app: Argmap, proposals: Sequence[str], scenarios: Sequence[str]) -> list[Subject]:
    out = [Subject(f"proposal {os.path.normpath(p)}", p) for p in expand_paths(proposals) if proposals]
    for path in discover(list(scenarios)) if scenarios else []:
        try:
            cases = load_scenarios(path, app.engine.vocabulary).cases
        except InputError as exc:
            out.append(Subject(f"scenario file {path}", None, error=f"invalid under the new knowledge base: {exc}"))
            continue
        for case in cases:
            prop = case.proposal
            assert isinstance(prop, Proposal)
            from_file = prop.path if prop.path and prop.path != case.file else None
            out.append(Subject(f"scenario {case.id}", from_file, None if from_file else prop, case.changes))
    return out


def _judge(app: Argmap, subject: Subject) -> tuple[Verdict, Explainer]:
    proposal = app.load(subject.proposal_path) if subject.proposal_path else subject.inline
    assert isinstance(proposal, Proposal)
    if subject.inline is not None:
        # Re-validate the inline settings against this side's vocabulary.
        for key, value in proposal.settings:
            comp = app.engine.vocabulary.components.get(key)
            if comp is None or value not in comp.values:
                raise InputError(f"{key}={value} is not in this knowledge base's vocabulary")
    proposal, world = apply_changes(proposal, World(), list(subject.changes), app.engine.vocabulary)
    answer = app.engine.solve(app.engine.assumptions(proposal, world), open_aspects=bool(proposal.open), fired=True)
    return verdict_from_answer(proposal, answer), Explainer(app.engine, answer, app.claims)


def _why(ex: Explainer, name: str, verdict: Verdict) -> str:
    atom = _ATOMS.get(name)
    if name == "risk":
        atom = f"risk({verdict.risk[-1]})" if verdict.risk else None
    if atom is None:
        return ""
    sym = clingo.parse_term(atom)
    node = ex.why(sym) if sym in ex.atoms else ex.why_not(sym)
    return "\n".join(_sentences(node, "", top=True))


def diff(base: Argmap, head: Argmap, items: Sequence[Subject]) -> list[SubjectDiff]:
    out = []
    for subject in items:
        d = SubjectDiff(subject.id)
        if subject.error:
            d.error = subject.error
            out.append(d)
            continue
        try:
            before, ex_before = _judge(base, subject)
        except InputError as exc:
            d.error = f"invalid under the base: {exc}"
            out.append(d)
            continue
        try:
            after, ex_after = _judge(head, subject)
        except InputError as exc:
            d.error = f"invalid under the new knowledge base: {exc}"
            out.append(d)
            continue
        for name, _ in FIELDS:
            b, a = value_of(before, name), value_of(after, name)
            if b != a:
                d.changes.append(VerdictChange(name, b, a, _why(ex_before, name, before), _why(ex_after, name, after)))
        if d.changes:
            out.append(d)
    return out


def diff_revision(
    repo: str, rev: str, head_kb: Sequence[str] | None, proposals: Sequence[str], scenarios: Sequence[str]
) -> list[SubjectDiff]:
    with tempfile.TemporaryDirectory(prefix="argmap-base-") as tmp:
        base = Argmap(kb_from_revision(repo, rev, tmp), trace=True)
        head = Argmap(head_kb, trace=True)
        return diff(base, head, subjects(head, proposals, scenarios))
