"""Reporting scenario runs: pretty text, JSON, JUnit XML (the JUnit XML schema as Jenkins and pytest read it)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

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


def pretty(report: TestReport, voc: Vocabulary) -> str:
    lines: list[str] = []
    for r in report.results:
        mark = {PASSED: "PASS", FAILED: "FAIL", SKIPPED: "SKIP"}[r.status]
        extra = f"  ({clean(r.case.skip)})" if r.status == SKIPPED else ""
        lines.append(f"{mark}  {clean(r.case.id)}{extra}")
        if r.status == FAILED:
            lines.append(f"      {clean(r.case.file)}:{r.case.expect.line}: expectation not met")
            lines.extend("    " + line for line in case_failure_text(r).splitlines())
    if report.coverage:
        lines += ["", *coverage_text(report.coverage, voc).splitlines()]
    lines += ["", summary(report)]
    return "\n".join(lines) + "\n"


def summary(report: TestReport) -> str:
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
    data: dict[str, Any] = {
        "summary": {"passed": report.count(PASSED), "failed": report.count(FAILED), "skipped": report.count(SKIPPED)},
        "cases": [
            {
                "id": r.case.id,
                "file": r.case.file,
                "line": r.case.line,
                "status": r.status,
                "tags": list(r.case.tags),
                **({"skip": r.case.skip} if r.case.skip else {}),
                "mismatches": [{"field": m.field, "expected": m.expected, "actual": m.actual} for m in r.mismatches],
                **(
                    {"explanation": [{"title": t, "tree": n.to_json()} for t, n in r.explanation]}
                    if r.explanation
                    else {}
                ),
            }
            for r in report.results
        ],
    }
    if report.coverage:
        cov = report.coverage
        data["coverage"] = {
            "claims_percent": round(cov.percent, 1),
            "claims_covered": cov.claims_covered,
            "claims_uncovered": [{"claim": c, "quote": voc.claims[c].quote} for c in cov.claims_uncovered],
            "record_only": cov.record_only,
            "rules_percent": round(cov.rules_percent, 1),
            "rules_uncovered": cov.rules_uncovered,
        }
    return dumps(data)


def _xml(text: str) -> str:
    """Text XML 1.0 can carry: characters it forbids are shown as escapes instead."""
    return "".join(
        ch
        if ch in "\t\n\r" or 0x20 <= ord(ch) <= 0xD7FF or 0xE000 <= ord(ch) <= 0xFFFD or 0x10000 <= ord(ch) <= 0x10FFFF
        else f"\\x{ord(ch):02x}"
        for ch in text
    )


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
    root = ET.Element("testsuites")
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
