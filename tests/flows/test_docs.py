"""The README is the manual: a command, option or reason code missing from it fails the suite."""

import re
import subprocess
import sys
import time
from pathlib import Path

import click
import pytest

from flows.cli import main
from pipeline.reasons import REASONS

ROOT = Path(__file__).parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def section(command: str) -> str:
    match = re.search(rf"^### presswash {command}\n(.*?)(?=^#{{2,3}} )", README, re.M | re.S)
    assert match, f"README has no '### presswash {command}' section"
    return match.group(1)


def long_options(command: click.Command) -> list[str]:
    return [
        opt
        for param in command.params
        if isinstance(param, click.Option)
        for opt in (*param.opts, *param.secondary_opts)
        if opt.startswith("--") and opt != "--help"
    ]


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_and_its_options_are_documented(name: str) -> None:
    text = section(name)
    for option in long_options(main.commands[name]):
        assert f"`{option}" in text or f"{option}`" in text or f"[{option}" in text, (
            f"presswash {name} {option} is not documented in its README section"
        )


def test_global_options_are_documented() -> None:
    for option in long_options(main):
        assert option in README


def test_every_reason_code_is_documented_and_every_used_code_is_defined() -> None:
    for code in REASONS:
        assert f"| `{code}` |" in README
    used = set()
    for path in (ROOT / "pipeline").glob("*.py"):
        used |= set(
            re.findall(
                r"\"((?:read|extract|strip|lang|quality)\.[a-z_]+)\"",
                path.read_text(encoding="utf-8"),
            )
        )
    used = {code for code in used if not code.endswith(".py")}  # module names, not codes
    assert used <= set(REASONS), f"codes used but not defined: {sorted(used - set(REASONS))}"


def test_help_and_version_start_fast() -> None:
    # Budget measured here: ~0.05 s for --help; heavy imports (prefect, trafilatura, duckdb)
    # must stay inside the commands. 1 s leaves room for a loaded CI machine.
    for args in (["--help"], ["--version"]):
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", "from flows.cli import main; main()", *args],
            capture_output=True,
            cwd=ROOT,
            check=True,
        )
        elapsed = time.perf_counter() - start
        assert done.stdout
        assert elapsed < 1.0, f"presswash {args[0]} took {elapsed:.2f} s"


def test_cli_module_does_not_import_heavy_modules() -> None:
    code = (
        "import sys, flows.cli; "
        "print([m for m in ('prefect', 'trafilatura', 'duckdb', 'langdetect') if m in sys.modules])"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.stdout.strip() == "[]"


def test_pipeline_never_imports_prefect() -> None:
    for path in (ROOT / "pipeline").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(from|import) prefect\b", source, re.M), path
