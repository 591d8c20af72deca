"""The documentation that is generated from the code is up to date."""

from __future__ import annotations

from pathlib import Path

from planner.docgen import render

ROOT = Path(__file__).resolve().parents[1]


def test_model_docs_are_generated_from_the_current_code():
    on_disk = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    assert on_disk == render() + "\n", (
        "docs/model.md is stale: run `python -m planner.docgen > docs/model.md`"
    )


def test_readme_opens_with_the_two_commands_and_ci_runs_the_second():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    commands = [line for line in lines[:12] if line.startswith("python3 -m venv")]
    assert len(commands) == 2
    assert "planner solve examples/plant.xlsx" in commands[0]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci


def test_code_passes_the_linter_and_formatter():
    import shutil
    import subprocess
    import sys

    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    for args in (["check", "planner", "tests"], ["format", "--check", "planner", "tests"]):
        done = subprocess.run([ruff, *args], cwd=ROOT, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
