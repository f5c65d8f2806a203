"""Every reference vector of ../shared/reference/instruments through the Python API and through
`remission score NAME --input - --json`: each expected key reproduced (numbers within the file's
tolerance_abs, else 1e-4 relative); a vector expecting an error is refused (exit 2)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from remission.cli import app
from remission.instruments.base import InstrumentError
from remission.instruments.catalogue import CATALOGUE, score
from tests.conftest import SHARED

FILES = sorted((SHARED / "reference" / "instruments").glob("*.json"))
VECTORS = [
    pytest.param(f.stem, v, json.loads(f.read_text()).get("tolerance_abs"), id=v["id"])
    for f in FILES
    for v in json.loads(f.read_text())["vectors"]
]
runner = CliRunner()


def same(want: Any, got: Any, tol: float | None) -> bool:
    if isinstance(want, bool) or isinstance(got, bool) or want is None or got is None:
        return bool(want == got)
    if isinstance(want, int | float) and isinstance(got, int | float):
        return math.isclose(want, got, abs_tol=tol) if tol else math.isclose(want, got, rel_tol=1e-4, abs_tol=1e-9)
    if isinstance(want, str) and isinstance(got, str):
        return want.strip().lower() == got.strip().lower()
    return bool(want == got)


def check(expected: dict[str, Any], got: dict[str, Any], tol: float | None) -> None:
    for key, want in expected.items():
        assert key in got, f"{key} missing from {got}"
        assert same(want, got[key], tol), f"{key}: want {want}, got {got[key]}"


def test_every_reference_file_has_an_instrument() -> None:
    assert len(FILES) == 17
    assert {f.stem for f in FILES} <= set(CATALOGUE)


@pytest.mark.parametrize(("name", "vector", "tol"), VECTORS)
def test_python_api(name: str, vector: dict[str, Any], tol: float | None) -> None:
    if "error" in vector["expected"]:
        with pytest.raises(InstrumentError):
            score(name, vector["input"])
        return
    check(vector["expected"], score(name, vector["input"]), tol)


@pytest.mark.parametrize(("name", "vector", "tol"), VECTORS)
def test_cli(name: str, vector: dict[str, Any], tol: float | None) -> None:
    result = runner.invoke(app, ["score", name, "--input", "-", "--json"], input=json.dumps(vector["input"]))
    got = json.loads(result.stdout)
    assert got["instrument"] == name
    if "error" in vector["expected"]:
        assert result.exit_code == 2 and got["error"]
        return
    assert result.exit_code == 0, got
    check(vector["expected"], got, tol)


def test_readme_lists_every_instrument() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    assert [n for n in CATALOGUE if f"| `{n}` |" not in readme] == []
