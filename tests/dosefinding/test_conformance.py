"""The simulation runs the live rules: every decision point of hundreds of simulated trials, as
``--trace`` writes it (the patients a live trial would have recorded that day), is fed back to
the live decision (``next_actions``, what ``remission dose next`` runs), which must answer the
same action and dose. One test per design: BOIN cohort by cohort and over calendar time (with R's
titration), 3+3, BF-BOIN with both rule sets, the NCT07095075 hybrid, and a variant with every
other option (next-design trigger, grade 2, simple n_earlystop, lowest dose first, no response
needed). The last test goes through the command line, as ../shared/checks/rulebook does."""

from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from remission.cli import app
from remission.dosefinding.design import DoseDesign
from remission.dosefinding.next_action import next_actions, replay
from remission.dosefinding.patients import patients_from_records
from remission.dosefinding.simulation import PatientModel, simulate
from remission.dosefinding.snapshot import ACTIONS
from remission.dosefinding.trace import TraceLines
from remission.services.dosing import load_dose_protocol

TRUTH = [0.05, 0.12, 0.25, 0.40, 0.55]
RESPONSE = [0.15, 0.25, 0.35, 0.45, 0.55]
LABELS = ("1", "2", "3", "4", "5")

DESIGNS: dict[str, tuple[DoseDesign, bool | None]] = {
    "boin cohort by cohort": (DoseDesign(target=0.3, n_earlystop=12, extrasafe=True), False),
    "boin over calendar time, R titration": (DoseDesign(titration={"levels": None, "grade2_trigger": False}), True),
    "3+3": (DoseDesign(escalation="3+3"), False),
    "bf-boin paper": (DoseDesign(target=0.25, n_earlystop=9, stay_at_one_third=True, dlt_window_days=30,
                                 backfill={"cap": 12}), None),
    "bf-boin bfboin": (DoseDesign(target=0.25, n_earlystop=9, dlt_window_days=30,
                                  backfill={"cap": 12, "rules": "bfboin"}), None),
    "NCT07095075 hybrid": (load_dose_protocol("NCT07095075").design, None),
    "every other option": (DoseDesign(target=0.3, cohorts=12, max_n=40, n_earlystop=9, n_earlystop_rule="simple",
                                      titration={"levels": 3, "on_trigger": "next_design"}, extrasafe=True,
                                      backfill={"cap": 8, "assign": "lowest", "require_response": False}), None),
}


def replayed(design: DoseDesign, lines: list[dict[str, Any]]) -> list[tuple[str, int | None]]:
    lists = [patients_from_records(line["patients"], LABELS, "trace") for line in lines]
    days = [date.fromisoformat(line["as_of"]) for line in lines]
    # A simulated trial follows its rules: replayed, it shows no deviation.
    _, deviations, _ = replay(design, len(LABELS), lists, days)
    assert not any(deviations), next(d for d in deviations if d)
    c = next_actions(design, len(LABELS), lists, days)
    return [(ACTIONS[a], None if d < 0 or ACTIONS[a] == "stop" else int(d) + 1) for a, d in zip(c.action, c.dose,
                                                                                                  strict=True)]  # fmt: skip


@pytest.mark.parametrize("name", DESIGNS)
def test_every_traced_decision_is_the_live_decision(name: str) -> None:
    design, calendar = DESIGNS[name]
    trace = TraceLines()
    simulate(design, PatientModel(truth=TRUTH, response=RESPONSE, grade2=[0.2] * 5), 200, seed=11, calendar=calendar,
             trace=trace)  # fmt: skip
    lines = trace.lines
    assert len({line["trial"] for line in lines}) == 200
    assert {line["action"] for line in lines} >= {"treat", "stop"}
    live = replayed(design, lines)
    simulated = [(line["action"], line["dose"]) for line in lines]
    mismatches = [(line["trial"], line["as_of"], s, g) for line, s, g in zip(lines, simulated, live, strict=True)
                  if s != g]  # fmt: skip
    assert not mismatches, mismatches[:5]


def test_backfill_designs_trace_backfill_and_waits() -> None:
    trace = TraceLines()
    simulate(DESIGNS["bf-boin paper"][0], PatientModel(truth=TRUTH, response=RESPONSE), 50, seed=3, trace=trace)
    actions = {line["action"] for line in trace.lines}
    assert actions == {"treat", "backfill", "wait", "stop"}
    backfilled = [p for line in trace.lines for p in line["patients"] if p.get("backfill")]
    assert backfilled and all("treated_on" in p for p in backfilled)


def test_through_the_command_line(tmp_path: Path) -> None:
    runner = CliRunner()
    trace = tmp_path / "trace.jsonl"
    result = runner.invoke(app, ["dose", "simulate", "--protocol", "NCT07095075", "--truth", "0.05,0.1,0.2,0.35,0.5",
                                 "--response", "0.2,0.3,0.4,0.5,0.6", "--trials", "20", "--seed", "7", "--trace",
                                 str(trace), "--json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in trace.read_text().splitlines()]
    assert {line["trial"] for line in lines} == set(range(1, 21))
    random.seed(5)
    for line in random.sample(lines, 12):
        data = tmp_path / "data.json"
        data.write_text(json.dumps(line["patients"]))
        got = runner.invoke(app, ["dose", "next", "--protocol", "NCT07095075", "--data", str(data), "--as-of",
                                  line["as_of"], "--json"])  # fmt: skip
        assert got.exit_code == 0, got.output
        answer = json.loads(got.stdout)
        assert (answer["action"], answer["dose"]) == (line["action"], line["dose"]), line["as_of"]
