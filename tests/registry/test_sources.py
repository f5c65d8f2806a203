"""Reading import files: JSON lines are streamed; broken files are rejected by name and line."""

import gzip
from pathlib import Path

from remission.registry.parsed import Parsed, Rejected
from remission.registry.sources import read_path
from tests.conftest import CTGOV


def test_jsonl_gz_is_read_line_by_line_and_a_truncated_one_is_reported(tmp_path: Path) -> None:
    lines = CTGOV.read_text().splitlines()[:3]
    whole = gzip.compress(("\n".join(lines) + "\n").encode())
    (tmp_path / "ok.jsonl.gz").write_bytes(whole)
    outcomes = list(read_path(tmp_path / "ok.jsonl.gz"))
    assert [o.record for o in outcomes if isinstance(o, Parsed)] == ["line 1", "line 2", "line 3"]
    (tmp_path / "cut.jsonl.gz").write_bytes(whole[: len(whole) // 2])
    outcomes = list(read_path(tmp_path / "cut.jsonl.gz"))
    problems = [p for o in outcomes if isinstance(o, Rejected) for p in o.problems]
    assert len(problems) == 1 and "cannot read after line" in problems[0].reason
    assert problems[0].file.endswith("cut.jsonl.gz")


def test_blank_jsonl_is_an_empty_file(tmp_path: Path) -> None:
    (tmp_path / "blank.jsonl").write_text("\n  \n")
    [outcome] = list(read_path(tmp_path / "blank.jsonl"))
    assert isinstance(outcome, Rejected) and outcome.problems[0].reason == "empty file"
