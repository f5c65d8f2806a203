"""The `remission` command line, run as a user runs it (Typer's runner, real SQLite database).

Expected values come from the seed page of NCT07095075 (../shared/seeds/000_*.txt): five dose
levels 25-400 x10^6 cells/kg, "accelerated titration design combined with BF-BOIN", five
sites with their statuses, CD19/BCMA.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from remission.cli import app
from tests.conftest import CTGOV, PAGES, ctgov_sample

runner = CliRunner()


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    tmp = tmp_path_factory.mktemp("cli")
    sample = ctgov_sample(tmp, 120)
    db = tmp / "cli.db"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REMISSION_DB", str(db))
        mp.delenv("REMISSION_DATABASE_URL", raising=False)
        assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
        result = runner.invoke(app, ["trials", "import", str(PAGES), str(sample), "--json"])
        assert result.exit_code == 0, result.output
        yield db


def run(db: Path, *args: str) -> tuple[int, str, str]:
    env = {"REMISSION_DB": str(db), "REMISSION_DATABASE_URL": "", "COLUMNS": "200"}
    result = runner.invoke(app, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def test_show_json_holds_the_dose_finding_design_sites_and_targets(database: Path) -> None:
    code, stdout, _ = run(database, "trials", "show", "NCT07095075", "--json")
    assert code == 0
    trial = json.loads(stdout)
    assert [d["value"] for d in trial["dose_levels"]] == [25, 50, 100, 200, 400]
    assert {d["unit"] for d in trial["dose_levels"]} == {"x10^6 cells/kg"}
    assert {"ACCELERATED_TITRATION", "BF-BOIN"} <= set(trial["escalation"]["methods"])
    sites = {s["city"]: s["status"] for s in trial["sites"]}
    assert sites == {
        "Bengbu": "NOT_YET_RECRUITING",
        "Hefei": "RECRUITING",
        "Nanjing": "RECRUITING",
        "Suzhou": "RECRUITING",
        "Wenzhou": "NOT_YET_RECRUITING",
    }
    assert set(trial["targets"]) == {"CD19", "BCMA"}


def test_list_search_and_related_print_json_lists(database: Path) -> None:
    code, stdout, _ = run(database, "trials", "list", "--json")
    assert code == 0 and len(json.loads(stdout)) == 125  # 120 registry records + 5 pages
    code, stdout, _ = run(database, "trials", "search", "lupus", "--disease", "sle", "--target", "BCMA", "--json")
    found = json.loads(stdout)
    assert code == 0 and {t["id"] for t in found} == {"NCT07095075", "NCT07246096"}
    assert all(t["score"] > 0 for t in found)
    code, stdout, _ = run(database, "trials", "search", "--cell-type", "car-nk", "--age", "34", "--sex", "f", "--json")
    assert code == 0 and [t["id"] for t in json.loads(stdout)] == ["NCT07095075"]
    code, stdout, _ = run(database, "trials", "related", "NCT07095075", "--limit", "2", "--json")
    related = json.loads(stdout)
    assert code == 0 and related[0]["id"] == "NCT07246096" and related[0]["why"]


def test_the_human_output_is_a_table(database: Path) -> None:
    code, stdout, _ = run(database, "trials", "search", "lupus", "--disease", "SLE")
    assert code == 0 and "trials match" in stdout and "NCT07095075" in stdout
    code, stdout, _ = run(database, "trials", "show", "NCT07095075")
    assert code == 0 and "BF-BOIN" in stdout and "Wenzhou" in stdout and "25, 50, 100, 200, 400" in stdout


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["trials", "show", "NCT00000000"], 2, "no trial with id 'NCT00000000'"),
        (["trials", "search", "--disease", "flu"], 2, "disease"),
        (["trials", "search", "--phase", "PHASE9"], 2, "phase: unknown value 'PHASE9'"),
        (["trials", "search", "--age", "old"], 2, "age: not an age"),
        (["trials", "search", "--status", "OPEN"], 2, "status: unknown value 'OPEN'"),
        (["trials", "import"], 2, "give PATH... or --bundled"),
    ],
)
def test_bad_arguments_fail_with_one_clear_line(database: Path, args: list[str], code: int, words: str) -> None:
    exit_code, stdout, stderr = run(database, *args)
    assert exit_code == code
    assert words in stderr and "Traceback" not in stderr + stdout
    assert stdout == ""


def test_rejected_records_are_reported_and_exit_1(database: Path, tmp_path: Path) -> None:
    (tmp_path / "truncated.json").write_text(CTGOV.read_text().splitlines()[0][:3000])
    (tmp_path / "empty.json").write_text("")
    before = run(database, "trials", "list", "--json")[1]
    code, stdout, _ = run(database, "trials", "import", str(tmp_path), "--json")
    report = json.loads(stdout)
    assert code == 1
    assert {Path(r["file"]).name for r in report["rejected"]} == {"truncated.json", "empty.json"}
    assert run(database, "trials", "list", "--json")[1] == before
    code, _, stderr = run(database, "trials", "import", str(tmp_path / "empty.json"))
    assert code == 1 and "empty.json" in stderr and "empty file" in stderr


def test_importing_twice_changes_nothing(database: Path) -> None:
    code, stdout, _ = run(database, "trials", "import", str(PAGES), "--json")
    report = json.loads(stdout)
    assert code == 0 and (report["added"], report["updated"], report["unchanged"]) == (0, 0, 5)


def test_an_unmigrated_database_says_what_to_do(tmp_path: Path) -> None:
    code, _, stderr = run(tmp_path / "new.db", "trials", "list")
    assert code == 3 and "remission db upgrade" in stderr
