"""The CI recipes of docs/testing-your-connector.md (``docs/ci/``) are valid for their
services — checked against the services' JSON Schemas as SchemaStore publishes them
(vendored, with their licences, by the ``check-jsonschema`` package, read offline) — and do
what the page promises: run the connector's tests and ``tillbench run``, and publish
``junit.xml`` and ``report.html`` also when the run fails."""

from __future__ import annotations

import copy
import importlib.resources
import json
import shlex
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from tests.tillbench.testing.support import ROOT

GITHUB = ROOT / "docs" / "ci" / "github-actions.yml"
GITLAB = ROOT / "docs" / "ci" / "gitlab-ci.yml"


def schema(name: str) -> dict[str, Any]:
    vendor = importlib.resources.files("check_jsonschema.builtin_schemas.vendor")
    loaded: dict[str, Any] = json.loads((vendor / name).read_text())
    return loaded


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text())
    if True in data:  # PyYAML reads YAML 1.1, where a bare `on` is a boolean
        data["on"] = data.pop(True)
    return data


def errors(document: dict[str, Any], name: str) -> list[str]:
    chosen = schema(name)
    validator = jsonschema.validators.validator_for(chosen)(chosen)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


def test_the_github_workflow_is_valid_for_github_actions() -> None:
    assert errors(load(GITHUB), "github-workflows.json") == []


def test_the_gitlab_pipeline_is_valid_for_gitlab_ci() -> None:
    assert errors(load(GITLAB), "gitlab-ci.json") == []


def test_the_schemas_refuse_what_the_services_refuse() -> None:
    github = load(GITHUB)
    broken_step = copy.deepcopy(github)
    broken_step["jobs"]["connector"]["steps"].append({"name": "neither run nor uses"})
    assert errors(broken_step, "github-workflows.json") != []
    no_runner = copy.deepcopy(github)
    del no_runner["jobs"]["connector"]["runs-on"]
    assert errors(no_runner, "github-workflows.json") != []
    gitlab = load(GITLAB)
    gitlab["tillbench"]["artifacts"]["when"] = "sometimes"
    assert errors(gitlab, "gitlab-ci.json") != []


def live_run(command: str, env: dict[str, str]) -> list[str]:
    words = shlex.split(command)
    assert words[:2] == ["tillbench", "run"], command
    assert "--connector" in words
    assert "--out" in words
    out = words[words.index("--out") + 1]
    scenario = words[2]
    for name, value in env.items():
        scenario = scenario.replace(f"${name}", value)
    assert (ROOT / scenario).is_file(), scenario
    return [out]


def test_the_github_workflow_runs_tillbench_and_always_publishes_the_verdict() -> None:
    job = load(GITHUB)["jobs"]["connector"]
    commands = [step["run"] for step in job["steps"] if "run" in step]
    (live,) = [c for c in commands if c.startswith("tillbench run")]
    (out,) = live_run(live, job["env"])
    assert any("pytest" in c and "--tillbench-keep-runs" in c for c in commands)
    (upload,) = [
        s for s in job["steps"] if str(s.get("uses", "")).startswith("actions/upload-artifact@")
    ]
    assert upload["if"] == "always()"
    paths = upload["with"]["path"].split()
    assert f"{out}/*/junit.xml" in paths
    assert f"{out}/*/report.html" in paths


def test_the_gitlab_job_runs_tillbench_and_always_publishes_the_verdict() -> None:
    job = load(GITLAB)["tillbench"]
    (live,) = [c for c in job["script"] if c.startswith("tillbench run")]
    (out,) = live_run(live, job["variables"])
    assert any("pytest" in c and "--tillbench-keep-runs" in c for c in job["script"])
    artifacts = job["artifacts"]
    assert artifacts["when"] == "always"
    assert f"{out}/*/report.html" in artifacts["paths"]
    assert f"{out}/*/junit.xml" in artifacts["reports"]["junit"]


@pytest.mark.parametrize("path", [GITHUB, GITLAB], ids=["github", "gitlab"])
def test_the_recipes_are_linked_from_the_walk_through(path: Path) -> None:
    page = (ROOT / "docs" / "testing-your-connector.md").read_text()
    assert f"ci/{path.name}" in page
