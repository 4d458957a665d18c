"""JUnit XML: one test case per step and per finding; errors are failures (with their witness), waived
ones are skipped."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from contractkit.gate._model import GateFinding, GateReport
from contractkit.reporting.witness import pretty


def _body(f: GateFinding) -> str:
    where = f"{f.file or f.subject or ''}" + (f":{f.line}" if f.line else "")
    if f.pointer is not None:
        where += f" at {f.pointer or '/'}"
    lines = [where.strip(), f.message]
    if f.has_witness:
        at = f" (the break is at {f.witness_at or '/'})" if f.witness_at is not None else ""
        lines += [f"witness{at}:", pretty(f.witness)]
    return "\n".join(line for line in lines if line)


def render(report: GateReport, *, color: bool = False) -> str:
    suites = ET.Element("testsuites", name="contractkit")
    suite = ET.SubElement(suites, "testsuite", name="contractkit check", timestamp=report.today.isoformat())
    tests = failures = skipped = 0
    for step in report.steps:
        tests += 1
        case = ET.SubElement(suite, "testcase", classname="contractkit.steps", name=step.name)
        if step.status == "skipped":
            skipped += 1
            ET.SubElement(case, "skipped", message=step.detail or "skipped")
        elif step.status == "failed":
            ET.SubElement(case, "system-out").text = step.detail
    for f in report.findings:
        if f.severity == "info":
            continue
        tests += 1
        classname = ".".join(x for x in ("contractkit", f.version, f.schema) if x)
        case = ET.SubElement(
            suite,
            "testcase",
            classname=classname,
            name=f"{f.rule_id} {f.pointer or f.file or f.subject or ''}".rstrip(),
        )
        if f.waived:
            skipped += 1
            ET.SubElement(case, "skipped", message=f"waived: {f.waived}")
        elif f.severity == "error":
            failures += 1
            fail = ET.SubElement(case, "failure", message=f.message.splitlines()[0], type=f.rule_id)
            fail.text = _body(f)
        else:
            ET.SubElement(case, "system-out").text = _body(f)
    suite.set("tests", str(tests))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", str(skipped))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
