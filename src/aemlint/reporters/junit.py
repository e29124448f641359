"""``junit``: JUnit XML for Jenkins, Azure DevOps and friends.

One ``testcase`` per (file, rule) with findings — its ``failure`` lists them — and one passing
``testcase`` per checked file without findings. Text is XML-escaped by ElementTree; characters
XML 1.0 cannot carry at all (most C0 controls) are replaced, so the document always parses.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from itertools import groupby

from aemlint.reporters import ReportContext
from aemlint.types import Finding

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _INVALID_XML.sub("\ufffd", text)


def render(findings: Sequence[Finding], ctx: ReportContext) -> str:
    suite = ET.Element("testsuite", name="aemlint")
    failures = 0
    by_file = {path: list(group) for path, group in groupby(findings, key=lambda f: f.path)}
    cases = 0
    for path in sorted(set(ctx.checked) | set(by_file)):
        name = _clean(ctx.ci_path(path))
        own = sorted(by_file.get(path, []), key=lambda f: (f.code, f.sort_key()))
        if not own:
            ET.SubElement(suite, "testcase", classname=name, name="aemlint")
            cases += 1
            continue
        for code, group in groupby(own, key=lambda f: f.code):
            items = list(group)
            case = ET.SubElement(suite, "testcase", classname=name, name=f"{code} {items[0].name}")
            failure = ET.SubElement(
                case,
                "failure",
                type=code,
                message=_clean(f"{len(items)} finding{'s' if len(items) != 1 else ''} of {code}"),
            )
            failure.text = _clean(
                "\n".join(
                    f"{name}:{f.span.line if f.span else 1}:{f.span.column if f.span else 1}: "
                    f"{f.code} [{f.severity}] {f.message}"
                    for f in items
                )
            )
            cases += 1
            failures += 1
    suite.set("tests", str(cases))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suites = ET.Element("testsuites", name="aemlint", tests=str(cases), failures=str(failures))
    suites.append(suite)
    ET.indent(suites)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
    )
