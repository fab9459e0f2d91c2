"""The example connector's own tests (``examples/simple_connector``) run green through the
plugin, and the same tests catch the planted broken variant with readable assertions."""

from __future__ import annotations

import pytest

from tests.tillbench.testing.support import copy_example

pytest_plugins = ["pytester"]


@pytest.mark.slow  # the example's suite: ~60 s; the installed-wheel test runs it too
def test_the_example_connectors_tests_pass(pytester: pytest.Pytester) -> None:
    folder = copy_example(pytester.path)
    result = pytester.runpytest_subprocess(str(folder), "-p", "no:cacheprovider", timeout=600)
    result.assert_outcomes(passed=4)


@pytest.mark.slow
def test_the_example_tests_catch_a_connector_that_gives_up_during_an_outage(
    pytester: pytest.Pytester,
) -> None:
    folder = copy_example(pytester.path, broken=True)
    result = pytester.runpytest_subprocess(
        str(folder), "-p", "no:cacheprovider", "-k", "outage or lunch", timeout=600
    )
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(
        [
            "*test_sales_rung_during_an_erp_outage_are_posted_after_it*",
            "E*of 3 transactions never reached the ERP as a posted document within 30 s: *",
            "E*the connector made * ERP requests (answers: *503*",
        ]
    )
    result.stdout.fnmatch_lines(
        ["E*objectives failed: *missing*", "E*missing: * missing*", "*run directory: *report: *"]
    )
