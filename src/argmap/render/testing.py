"""Reporting scenario runs: pretty text, JSON, JUnit XML (the JUnit XML schema as Jenkins and pytest read it)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from typing import Any, Protocol

from ..model.kb import Vocabulary
from ..model.testing import CaseResult, Coverage, TestReport
from .explain import sentences
from .json import dumps
from .text import clean, columns, quoted

PASSED, FAILED, SKIPPED = "passed", "failed", "skipped"


def case_failure_text(r: CaseResult) -> str:
    """The expected and actual verdicts side by side, then why the actual ones hold."""
    rows = [["", "expected", "actual"], *([m.field, clean(m.expected), clean(m.actual)] for m in r.mismatches)]
    lines = columns(rows)
    for title, node in r.explanation:
        lines += ["", f"  {title}", *sentences(node, "    ", top=True)]
    return "\n".join(lines)


class Tally(Protocol):
    """What the end of a report needs: counts by status and, if measured, coverage
    (a :class:`~argmap.model.testing.TestReport`, or a run that kept counts only)."""

    @property
    def coverage(self) -> Coverage | None: ...

    def count(self, status: str) -> int: ...


def pretty(report: TestReport, voc: Vocabulary) -> str:
    """The whole report as text: each case, then coverage and the counts."""
    return "".join(pretty_case(r) for r in report.results) + pretty_end(report, voc)


def pretty_case(r: CaseResult) -> str:
    """One case's lines (PASS, FAIL with the expected and actual verdicts and why, or SKIP)."""
    mark = {PASSED: "PASS", FAILED: "FAIL", SKIPPED: "SKIP"}[r.status]
    extra = f"  ({clean(r.case.skip)})" if r.status == SKIPPED else ""
    lines = [f"{mark}  {clean(r.case.id)}{extra}"]
    if r.status == FAILED:
        lines.append(f"      {clean(r.case.file)}:{r.case.expect.line}: expectation not met")
        lines.extend("    " + line for line in case_failure_text(r).splitlines())
    return "\n".join(lines) + "\n"


def pretty_end(run: Tally, voc: Vocabulary) -> str:
    """What follows the cases: coverage (if measured) and the counts."""
    lines: list[str] = []
    if run.coverage:
        lines += ["", *coverage_text(run.coverage, voc).splitlines()]
    lines += ["", summary(run)]
    return "\n".join(lines) + "\n"


def summary(report: Tally) -> str:
    text = f"{report.count(PASSED)} passed, {report.count(FAILED)} failed"
    if report.count(SKIPPED):
        text += f", {report.count(SKIPPED)} skipped"
    return text


def coverage_text(cov: Coverage, voc: Vocabulary) -> str:
    exercisable = cov.claims_total - len(cov.record_only)
    lines = [
        f"Claim coverage: {len(cov.claims_covered)}/{exercisable} claims that can be exercised "
        f"({cov.percent:.1f}%); {len(cov.record_only)} record-only claims cannot be exercised.",
        f"Rule coverage: {cov.rules_covered}/{cov.rules_total} rules fired in a passing case "
        f"({cov.rules_percent:.1f}%).",
    ]
    if cov.claims_uncovered:
        lines.append("Claims no passing case exercises:")
        for cid in cov.claims_uncovered:
            lines.append(f"  - {cid}: {quoted(voc.claims[cid].quote)}")
    if cov.rules_uncovered:
        lines.append("Rules no passing case fires:")
        lines.extend(f"  - {w}" for w in cov.rules_uncovered)
    if cov.record_only:
        lines.append("Record-only claims (no rule reasons from them): " + ", ".join(cov.record_only))
    return "\n".join(lines)


def to_json(report: TestReport, voc: Vocabulary) -> str:
    """The whole report as one JSON object: ``cases``, then ``summary`` and (if measured) ``coverage``."""
    return "".join(json_chunks(report.results, report, voc))


def case_json(r: CaseResult) -> dict[str, Any]:
    """One case's result: id, file, line, status, tags, skip, mismatches and, for a failure, explanation."""
    return {
        "id": r.case.id,
        "file": r.case.file,
        "line": r.case.line,
        "status": r.status,
        "tags": list(r.case.tags),
        **({"skip": r.case.skip} if r.case.skip else {}),
        "mismatches": [{"field": m.field, "expected": m.expected, "actual": m.actual} for m in r.mismatches],
        **({"explanation": [{"title": t, "tree": n.to_json()} for t, n in r.explanation]} if r.explanation else {}),
    }


def json_chunks(results: Iterable[CaseResult], run: Tally, voc: Vocabulary) -> Iterator[str]:
    """The JSON report in pieces, one a case as `results` yields it, then the summary and coverage of
    `run` (read once `results` is exhausted): one valid JSON object when joined."""
    yield '{\n  "cases": ['
    first = True
    for r in results:
        yield ("\n" if first else ",\n") + _indented(dumps(case_json(r)), "    ")
        first = False
    yield "]" if first else "\n  ]"
    tail: dict[str, Any] = {
        "summary": {"passed": run.count(PASSED), "failed": run.count(FAILED), "skipped": run.count(SKIPPED)}
    }
    cov = run.coverage
    if cov:
        tail["coverage"] = {
            "claims_percent": round(cov.percent, 1),
            "claims_covered": cov.claims_covered,
            "claims_uncovered": [{"claim": c, "quote": voc.claims[c].quote} for c in cov.claims_uncovered],
            "record_only": cov.record_only,
            "rules_percent": round(cov.rules_percent, 1),
            "rules_uncovered": cov.rules_uncovered,
        }
    for key, value in tail.items():
        yield f',\n  "{key}": ' + _indented(dumps(value), "  ").lstrip()
    yield "\n}\n"


def _indented(text: str, pad: str) -> str:
    """JSON indented by `pad` (split at newlines only: a string may hold U+0085)."""
    return "\n".join(pad + line for line in text.rstrip("\n").split("\n"))


def _xml(text: str) -> str:
    """Text for JUnit XML: each line as terminal text shows it (:func:`argmap.render.text.clean`: control,
    format and separator characters as visible escapes, which XML 1.0 can carry and a parser does not
    turn back into the character), line breaks kept."""
    return "\n".join(clean(line) for line in text.split("\n"))


def junit_case(r: CaseResult) -> str:
    """One case as a JUnit ``<testcase>`` element, indented to stand in :func:`junit_document`."""
    case = _testcase(ET.Element("testsuite"), r)
    ET.indent(case, space="  ", level=2)
    return "    " + ET.tostring(case, encoding="unicode").rstrip() + "\n"


def junit_document(run: Tally, cases: Iterable[str]) -> Iterator[str]:
    """A JUnit XML document around `cases` (each from :func:`junit_case`), with `run`'s counts.

    The counts come first in the document, so `run` must be finished; `cases`
    may be read back from wherever they were kept meanwhile (a file).
    """
    tests = run.count(PASSED) + run.count(FAILED) + run.count(SKIPPED)
    suite = ET.Element(
        "testsuite",
        name="argmap",
        tests=str(tests),
        failures=str(run.count(FAILED)),
        errors="0",
        skipped=str(run.count(SKIPPED)),
    )
    if not tests:
        root = ET.Element("testsuites")
        root.append(suite)
        ET.indent(root)
        yield '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
        return
    opening = ET.tostring(suite, encoding="unicode").removesuffix(" />")
    yield f'<?xml version="1.0" encoding="utf-8"?>\n<testsuites>\n  {opening}>\n'
    yield from cases
    yield "  </testsuite>\n</testsuites>\n"


def _testcase(suite: ET.Element, r: CaseResult) -> ET.Element:
    case = ET.SubElement(suite, "testcase", classname=_xml(r.case.file), name=_xml(r.case.id.split("::", 1)[-1]))
    if r.status == FAILED:
        failure = ET.SubElement(
            case,
            "failure",
            message=_xml("; ".join(f"{m.field}: expected {m.expected}, got {m.actual}" for m in r.mismatches)),
        )
        failure.text = _xml(case_failure_text(r))
    elif r.status == SKIPPED:
        ET.SubElement(case, "skipped", message=_xml(r.case.skip or ""))
    return case


def to_junit(report: TestReport) -> str:
    suite = ET.Element(
        "testsuite",
        name="argmap",
        tests=str(len(report.results)),
        failures=str(report.count(FAILED)),
        errors="0",
        skipped=str(report.count(SKIPPED)),
    )
    for r in report.results:
        _testcase(suite, r)
    root = ET.Element("testsuites")
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
