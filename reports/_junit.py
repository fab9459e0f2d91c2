"""``junit.xml``: one test case per SLO, failed ones carrying by how much they failed."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from reports._verdict import SloResult

__all__ = ["write_junit"]


def write_junit(path: Path, slos: list[SloResult], *, suite: str) -> None:
    """Write the JUnit XML report CI systems read (``testsuites/testsuite/testcase``)."""
    failures = sum(not slo.passed for slo in slos)
    root = ET.Element("testsuites", name="tillbench", tests=str(len(slos)), failures=str(failures))
    suite_element = ET.SubElement(
        root, "testsuite", name=suite, tests=str(len(slos)), failures=str(failures), errors="0"
    )
    for slo in slos:
        case = ET.SubElement(suite_element, "testcase", name=slo.name, classname=f"{suite}.slo")
        if slo.passed:
            ET.SubElement(case, "system-out").text = slo.detail
        else:
            failure = ET.SubElement(case, "failure", message=slo.detail, type="SloFailed")
            failure.text = f"target {slo.target}, actual {slo.actual}: {slo.detail}"
    ET.indent(root)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
