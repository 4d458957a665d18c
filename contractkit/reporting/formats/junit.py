"""JUnit XML: one test case per step and per finding; errors are failures, waived ones are skipped."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from contractkit.gate._model import GateReport


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
    for f in report.findings:
        if f.severity == "info":
            continue
        tests += 1
        classname = ".".join(x for x in ("contractkit", f.version, f.schema) if x)
        case = ET.SubElement(suite, "testcase", classname=classname, name=f"{f.rule_id} {f.pointer or f.file or ''}")
        if f.waived:
            skipped += 1
            ET.SubElement(case, "skipped", message=f"waived: {f.waived}")
        elif f.severity == "error":
            failures += 1
            fail = ET.SubElement(case, "failure", message=f.message, type=f.rule_id)
            fail.text = f"{f.file or ''}:{f.line or ''} #{f.pointer or ''}\n{f.message}"
        else:
            ET.SubElement(case, "system-out").text = f.message
    suite.set("tests", str(tests))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", str(skipped))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
