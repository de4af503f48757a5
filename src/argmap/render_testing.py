"""Reporting scenario runs: pretty text, JSON, JUnit XML."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from .model import Claim
from .render import dumps
from .testing import FAILED, PASSED, SKIPPED, CaseResult, Coverage, Report


def case_failure_text(r: CaseResult) -> str:
    """The expected and actual verdicts side by side, then the explanation of the actual ones."""
    width = max([len(m.field) for m in r.mismatches] + [8])
    lines = [f"  {'':<{width}}  {'expected':<28}actual"]
    for m in r.mismatches:
        lines.append(f"  {m.field:<{width}}  {m.expected:<28}{m.actual}")
    if r.explanation:
        lines += ["", *("  " + line for line in r.explanation.splitlines())]
    return "\n".join(lines)


def pretty(report: Report, claims: dict[str, Claim]) -> str:
    lines: list[str] = []
    for r in report.results:
        mark = {PASSED: "PASS", FAILED: "FAIL", SKIPPED: "SKIP"}[r.status]
        extra = f"  ({r.case.skip})" if r.status == SKIPPED else ""
        lines.append(f"{mark}  {r.case.id}{extra}")
        if r.status == FAILED:
            lines.append(f"      {r.case.file}:{r.case.expect.line}: expectation not met")
            lines.extend("    " + line for line in case_failure_text(r).splitlines())
    if report.coverage:
        lines += ["", *coverage_text(report.coverage, claims).splitlines()]
    lines += ["", summary(report)]
    return "\n".join(lines) + "\n"


def summary(report: Report) -> str:
    text = f"{report.count(PASSED)} passed, {report.count(FAILED)} failed"
    if report.count(SKIPPED):
        text += f", {report.count(SKIPPED)} skipped"
    return text


def coverage_text(cov: Coverage, claims: dict[str, Claim]) -> str:
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
            lines.append(f"  - {cid}: “{claims[cid].quote}”")
    if cov.rules_uncovered:
        lines.append("Rules no passing case fires:")
        lines.extend(f"  - {w}" for w in cov.rules_uncovered)
    if cov.record_only:
        lines.append("Record-only claims (no rule reasons from them): " + ", ".join(cov.record_only))
    return "\n".join(lines)


def to_json(report: Report, claims: dict[str, Claim]) -> str:
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
                **({"explanation": r.explanation} if r.explanation else {}),
            }
            for r in report.results
        ],
    }
    if report.coverage:
        cov = report.coverage
        data["coverage"] = {
            "claims_percent": round(cov.percent, 1),
            "claims_covered": cov.claims_covered,
            "claims_uncovered": [{"claim": c, "quote": claims[c].quote} for c in cov.claims_uncovered],
            "record_only": cov.record_only,
            "rules_percent": round(cov.rules_percent, 1),
            "rules_uncovered": cov.rules_uncovered,
        }
    return dumps(data)


def to_junit(report: Report) -> str:
    suite = ET.Element(
        "testsuite",
        name="argmap",
        tests=str(len(report.results)),
        failures=str(report.count(FAILED)),
        errors="0",
        skipped=str(report.count(SKIPPED)),
    )
    for r in report.results:
        case = ET.SubElement(suite, "testcase", classname=r.case.file, name=r.case.id.split("::", 1)[-1])
        if r.status == FAILED:
            failure = ET.SubElement(
                case,
                "failure",
                message="; ".join(f"{m.field}: expected {m.expected}, got {m.actual}" for m in r.mismatches),
            )
            failure.text = case_failure_text(r)
        elif r.status == SKIPPED:
            ET.SubElement(case, "skipped", message=r.case.skip or "")
    root = ET.Element("testsuites")
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
