"""Step-by-step scenarios for live decisions, written out as outcome strings with the expected
next action at each step (worked out by hand from the BOIN table for φ = 0.30, cohort 3 — λe
0.2365, λd 0.3585; at n = 3: E 0, S 1, D 2, DU 3; at n = 6: E ≤ 1, S 2, D 3, DU ≥ 4), and the
live decision's own duties: dates and DLT windows, deviations, assumed values."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from remission.dosefinding.boundaries import DoseFindingError
from remission.dosefinding.design import DoseDesign
from remission.dosefinding.next_action import NextAction, next_action
from remission.dosefinding.patients import format_outcomes, parse_outcomes, patients_from_records
from remission.dosefinding.protocol import DoseProtocol, TrialInfo
from remission.services.dosing import load_dose_protocol

DOSES = ("25", "50", "100", "200", "400")


def protocol(**design: Any) -> DoseProtocol:
    return DoseProtocol(trial=TrialInfo(id="T", doses=DOSES), design=DoseDesign(**design))


HYBRID = protocol(target=0.30, cohorts=12, titration={"levels": 2}, max_n=36)
BF = protocol(target=0.30, cohorts=12, titration={"levels": 2}, max_n=36, backfill={"cap": 12})


def step(outcomes: str, p: DoseProtocol = HYBRID) -> NextAction:
    return next_action(p, parse_outcomes(outcomes, len(p.trial.doses)))


@pytest.mark.parametrize(
    ("outcomes", "action", "dose", "patients", "phase"),
    [
        ("", "treat", 1, 1, "titration"),  # one patient at 25
        ("1N", "treat", 2, 1, "titration"),  # no DLT: one patient at 50
        ("1N 2P", "wait", None, 0, "titration"),  # the 50 patient is still in the window
        ("1N 2N", "treat", 3, 3, "boin"),  # titration ends above level 2: a cohort at 100
        ("1N 2N 3NNP", "wait", None, 0, "boin"),
        ("1N 2N 3NN", "treat", 3, 1, "boin"),  # the cohort at 100 is not complete
        ("1N 2N 3NNN", "treat", 4, 3, "boin"),  # 0/3 ≤ 0: escalate to 200
        ("1N 2N 3NNN 4NTT", "treat", 3, 3, "boin"),  # 2/3 ≥ 2: de-escalate to 100
        ("1N 2N 3NNN 4NTT 3NNN", "treat", 4, 3, "boin"),  # 0/6 ≤ 1: escalate; 200 (2/3) not eliminated
        ("1N 2N 3NNN 4NTT 3NNN 4TTN", "treat", 3, 3, "boin"),  # 4/6 ≥ 4: eliminate 200 and 400, back to 100
        ("1N 2N 3NNN 4NTT 3NNN 4TTN 3NNN", "treat", 3, 3, "boin"),  # 0/9 escalates, but 200 is eliminated: stay
    ],
)
def test_hybrid_without_triggers(outcomes: str, action: str, dose: int | None, patients: int, phase: str) -> None:
    got = step(outcomes)
    assert (got.action, got.dose, got.patients, got.phase) == (action, dose, patients, phase), got.reasons


def test_elimination_is_reported_and_permanent() -> None:
    got = step("1N 2N 3NNN 4NTT 3NNN 4TTN 3NNN")
    assert got.eliminated == [4, 5]
    assert "dose 4 is eliminated" in " ".join(got.reasons)


@pytest.mark.parametrize(
    ("outcomes", "action", "dose", "patients", "why"),
    [
        ("1T", "treat", 1, 2, "expand dose 1"),  # a DLT at 25 ends titration: fill 25 up to a cohort
        ("1TNN", "treat", 1, 3, "stay at dose 1"),  # 1/3: stay
        ("1TTT", "stop", None, 0, "dose 1 is eliminated"),  # 3/3 at the lowest dose: no MTD
        ("1N 2T", "treat", 2, 2, "expand dose 2"),
        ("1N 2TNN", "treat", 2, 3, "stay at dose 2"),  # 1/3 at 50: stay
        ("1N 2TTN", "treat", 1, 3, "de-escalate to dose 1"),  # 2/3 at 50: back to 25 (n = 1 there, now a cohort)
        ("1G 2G", "treat", 2, 2, "second grade ≥ 2"),  # Simon's second trigger
        ("1G 2N", "treat", 3, 3, "titration ended above dose 2"),  # one grade 2 is not a trigger
    ],
)
def test_hybrid_triggers(outcomes: str, action: str, dose: int | None, patients: int, why: str) -> None:
    got = step(outcomes)
    assert (got.action, got.dose, got.patients) == (action, dose, patients), got.reasons
    assert any(why in r for r in got.reasons), got.reasons


def test_trigger_can_hand_over_to_boin_at_once() -> None:
    # With next_design, BOIN decides on the single patient: n = 1, y = 1 → de-escalate, but
    # dose 1 is the lowest: a cohort of 3 stays at dose 1.
    p = protocol(titration={"levels": 2, "on_trigger": "next_design"}, max_n=36)
    assert (step("1T", p).action, step("1T", p).dose, step("1T", p).patients) == ("treat", 1, 3)
    assert (step("1N 2T", p).dose, step("1N 2T", p).patients) == (1, 3)  # at 50: 1/1 → de-escalate to 25


def test_r_boin_titration_ignores_grade_2_and_fills_the_top_dose() -> None:
    p = protocol(titration={"levels": None, "grade2_trigger": False}, max_n=36)
    assert (step("1G 2G", p).dose, step("1G 2G", p).patients) == (3, 1)
    # No DLT on the way up: the top dose is filled up to a cohort (R BOIN's titration).
    got = step("1N 2N 3N 4N 5N", p)
    assert (got.action, got.dose, got.patients) == ("treat", 5, 2), got.reasons


def test_stop_at_maximum_sample_size_and_select() -> None:
    # 1 + 1 + 6 at dose 4 + 28 at dose 3 = 36: dose 4 has 4 DLT in 6 (eliminated with dose 5), dose 3
    # 3 in 28 and stays (escalation is blocked); the last cohort is cut to the one place left.
    outcomes = "1N 2N 3NNN 4NTT 3NNN 4TTN 3NNT 3NTT 3NNN 3NNN 3NNN 3NNN 3NNN 3N"
    assert step(outcomes.removesuffix(" 3N")).patients == 1
    got = step(outcomes)
    assert len(parse_outcomes(outcomes)) == 36
    assert got.action == "stop" and got.mtd is not None and got.mtd.mtd == 3
    assert "maximum sample size reached: 36 patients" in got.reasons[0]


def test_n_earlystop_both_readings() -> None:
    # Dose 3 reaches 12 patients with 3 DLTs: n = 12 stays for 3 (E ≤ 2, D ≥ 5) → stop and select.
    staying = protocol(target=0.30, n_earlystop=12, titration={"levels": 2}, max_n=36)
    got = step("1N 2N 3NNN 3NTN 3NNT 3NTN", staying)
    assert got.action == "stop" and got.mtd is not None and got.mtd.mtd == 3
    assert any("n_earlystop" in r for r in got.reasons)
    # 12 at dose 3 with 2 DLTs escalate (≤ 2): "with_stay" goes on, "simple" stops all the same.
    assert step("1N 2N 3NNN 3NTN 3NNT 3NNN", staying).dose == 4
    simple = protocol(target=0.30, n_earlystop=12, n_earlystop_rule="simple", titration={"levels": 2}, max_n=36)
    assert step("1N 2N 3NNN 3NTN 3NNT 3NNN", simple).action == "stop"


@pytest.mark.parametrize(
    ("outcomes", "action", "dose", "why"),
    [
        ("", "treat", 1, "first cohort"),
        ("1NNN", "treat", 2, "escalate to dose 2"),
        ("1NNN 2NTN", "treat", 2, "3 more at dose 2"),
        ("1NNN 2NTNNNN", "treat", 3, "escalate to dose 3"),  # 1/6
        ("1NNN 2NTNNNN 3TTN", "stop", None, "MTD: dose 2"),  # 2/3 at 3; 6 treated at 2
        ("1NNN 2TTN", "treat", 1, "3 more at dose 1"),  # only 3 at dose 1 so far
        ("1NNN 2TTN 1NNN", "stop", None, "MTD: dose 1"),
        ("1TNT", "stop", None, "no MTD"),
        ("1NNN 2NNN 3NNN 4NNN 5NNN", "treat", 5, "top dose"),
        ("1NNN 2NNN 3NNN 4NNN 5NNNNNT", "stop", None, "MTD: dose 5"),
    ],
)
def test_three_plus_three(outcomes: str, action: str, dose: int | None, why: str) -> None:
    got = step(outcomes, protocol(escalation="3+3"))
    assert (got.action, got.dose) == (action, dose), got.reasons
    assert any(why in r for r in got.reasons), got.reasons


def test_notation_round_trip_and_errors() -> None:
    text = "1N 2G b1NT 3NNP"
    assert format_outcomes(parse_outcomes(text)) == text
    with pytest.raises(DoseFindingError, match="'3X'"):
        parse_outcomes("1N 3X")
    with pytest.raises(DoseFindingError, match="dose 6 does not exist"):
        parse_outcomes("6N", doses=5)


@pytest.mark.parametrize(
    ("outcomes", "action", "dose", "open_doses"),
    [
        # Cohort at 200 in its window; 25 responded (R): every dose at or above it opens (the
        # article's "a response at or below the dose"), the highest is used.
        ("1R 2N 3NNN 4PPP", "backfill", 3, [1, 2, 3]),
        ("1N 2N 3NRN 4PPP", "backfill", 3, [3]),  # a response at 100: 100 opens, 25 and 50 do not
        # Two backfill DLTs at 100: 2 in 5 ≥ λd (D at n = 5 is ≥ 2), and pooled with 200 (nothing
        # known there yet) the same: 100 closes; 25 and 50 have no response at or below them.
        ("1N 2N 3NRN 4PPP b3T b3T", "wait", None, []),
        ("1N 2N 3NRN 4PPP b3N b3P", "backfill", 3, [3]),  # a pending backfill patient does not close it
    ],
)
def test_backfill_opening(outcomes: str, action: str, dose: int | None, open_doses: list[int]) -> None:
    got = step(outcomes, BF)
    assert (got.action, got.dose, got.backfill_open) == (action, dose, open_doses), got.reasons


def test_a_closed_dose_reopens_when_the_pooled_data_allow_it() -> None:
    # 100 has 2 DLT in 5 (D alone). Pooled with 200's 0/3 = 2 in 8 (D ≥ 3? ⌈0.3585 × 8⌉ = 3): below:
    # so 100 is not closed (both must call for de-escalation), and it takes the backfill patient.
    got = step("1N 2N 3NRN b3TT 4NNN 5PPP", BF)
    assert (got.action, got.dose, got.backfill_open) == ("backfill", 4, [3, 4]), got.reasons


def test_backfill_cap_paper_and_bfboin() -> None:
    # Without the response rule and a cap of 4: 100 has 4 patients (3 + 1 backfill). The paper's
    # reading closes it at the cap; bfboin checks "≤ cap" before adding, so it stays open.
    paper = protocol(max_n=36, titration={"levels": 2}, backfill={"cap": 4, "require_response": False})
    bfboin = protocol(max_n=36, titration={"levels": 2}, backfill={"cap": 4, "require_response": False,
                                                                    "rules": "bfboin"})  # fmt: skip
    outcomes = "1N 2N 3NNN b3N 4PPP"
    assert step(outcomes, paper).backfill_open == [1, 2]
    assert step(outcomes, bfboin).backfill_open == [1, 2, 3]
    assert (step(outcomes, paper).dose, step(outcomes, bfboin).dose) == (2, 3)


def test_bf_boin_conflict_pooling() -> None:
    # 100 has 2 DLT in 5 (3 + 2 backfill): D at n = 5; 200 has 0/3: E. Conflict: pool 100-200,
    # 2 DLT in 8: E ≤ 1, D ≥ 3 → stay at 200.
    got = step("1N 2N 3NRN b3TT 4NNN", BF)
    assert (got.action, got.dose) == ("treat", 4), got.reasons
    assert "pooled doses 3-4 have 2 DLT in 8" in " ".join(got.reasons)
    # 100 has 4 DLT in 7 (D), 200 0/3 (E); pooled 4 in 10 ≥ λd (D ≥ 4). From 100: 4/7 (D ≥ 3)
    # calls for de-escalation → below 100: dose 2.
    got = step("1N 2N 3NRN b3TTTT 4NNN", BF)
    assert (got.action, got.dose, got.patients) == ("treat", 2, 3), got.reasons
    # Without backfill the same counts are plain BOIN at 200: escalate.
    assert step("1N 2N 3NRN b3TT 4NNN", HYBRID).dose == 5
    # Only backfilled doses are compared: 100 has 2 DLT in 5 from escalation alone (no backfill
    # there) and 200 0/3: no conflict, BOIN at 200 escalates.
    assert step("1N 2N 3NTNTN 4NNN", BF).dose == 5


def test_dlt_windows_from_treatment_dates() -> None:
    records = [{"dose": 1, "dlt": False, "treated_on": "2026-09-01"}, {"dose": 2, "dlt": False, "treated_on": "2026-10-01"},
               {"dose": 3, "dlt": False, "treated_on": "2026-10-30"}, {"dose": 3, "treated_on": "2026-11-01"},
               {"dose": 3, "dlt": "pending", "treated_on": "2026-11-10"}]  # fmt: skip
    patients = patients_from_records(records, DOSES, "test")
    # 28-day window: 2026-11-01 + 28 days = 2026-11-29 (closed by 2026-12-01); 2026-11-10 + 28 = 2026-12-08.
    got = next_action(HYBRID, patients, as_of=date(2026, 12, 1))
    assert got.action == "wait"
    assert "patient 4 (dose 3): DLT window closed on 2026-11-29; record the outcome" in got.reasons
    assert "patient 5 (dose 3): DLT window closes on 2026-12-08" in got.reasons


def test_no_dlt_before_the_window_closes_counts_as_pending() -> None:
    records = [{"dose": 1, "dlt": False, "treated_on": "2026-11-20"}]
    got = next_action(HYBRID, patients_from_records(records, DOSES, "test"), as_of=date(2026, 12, 1))
    assert got.action == "wait" and got.pending[0] == 1
    assert any("counted as pending until then" in r for r in got.reasons)


def test_a_cohort_is_decided_on_the_day_it_was_complete() -> None:
    # The cohort at 100 was complete on 2026-04-29 (0/3): escalate. A backfill DLT at 50 known
    # later does not reopen that decision; it still stands on 2026-05-10.
    records = [{"dose": 1, "dlt": False, "treated_on": "2026-01-05", "response": True},
               {"dose": 2, "dlt": False, "treated_on": "2026-02-05"},
               {"dose": 3, "dlt": False, "treated_on": "2026-03-20"}, {"dose": 3, "dlt": False, "treated_on": "2026-03-25"},
               {"dose": 3, "dlt": False, "treated_on": "2026-04-01"},
               {"dose": 2, "dlt": True, "dlt_on": "2026-05-02", "treated_on": "2026-04-20", "backfill": True}]  # fmt: skip
    got = next_action(BF, patients_from_records(records, DOSES, "test"), as_of=date(2026, 5, 10))
    assert (got.action, got.dose) == ("treat", 4), got.reasons
    assert "was complete on 2026-04-29" in got.reasons[0]


def test_deviations_are_reported() -> None:
    got = step("1N 2N 4NNN")  # after titration the rules said 100 (dose 3); the trial went to 200
    assert got.deviations == ["patient 3 was treated at dose 4 where the rules said treat dose 3"]


def test_assumed_values_are_marked() -> None:
    nct = load_dose_protocol("NCT07095075")
    got = next_action(nct, parse_outcomes("1N", 5))
    assert dict(got.assumed) == {"target": 0.3, "n_earlystop": 12, "dlt_window_days": 28, "backfill.cap": 12}
    assert any(r.startswith("assumed, not published by the trial: target = 0.3") for r in got.reasons)


def test_records_refused_with_field_and_record() -> None:
    with pytest.raises(DoseFindingError, match="record 2: dlt_on is given but dlt is not true"):
        patients_from_records([{"dose": 1, "dlt": False}, {"dose": 1, "dlt": False, "dlt_on": "2026-01-02"}], DOSES, "f")
    with pytest.raises(DoseFindingError, match="treated_on must be given for every record or for none"):
        patients_from_records([{"dose": 1, "treated_on": "2026-01-01"}, {"dose": 1}], DOSES, "f")
    with pytest.raises(DoseFindingError, match="record 1: treated_on must be a date"):
        patients_from_records([{"dose": 1, "treated_on": "yesterday"}], DOSES, "f")


def test_an_eliminated_dose_ends_titration_and_the_trial() -> None:
    # Backfilled DLTs at 25 during titration: 3 DLTs in 4 patients there. Beta(1 + 3, 1 + 1):
    # Pr(φ > 0.3) = 1 - I₀.₃(4, 2) = 1 - 0.3⁴(5 - 4 × 0.3) = 1 - 0.03078 = 0.969 > 0.95, so 25
    # and every dose above it are eliminated: titration may not go on to 100, the trial stops.
    records = [{"dose": 1, "dlt": False, "response": True, "treated_on": "2026-01-01"},
               {"dose": 2, "dlt": False, "treated_on": "2026-01-30"},
               *({"dose": 1, "backfill": True, "dlt": True, "dlt_on": f"2026-02-{d + 4:02d}", "treated_on": f"2026-02-{d:02d}"}
                 for d in (1, 3, 6))]  # fmt: skip
    got = next_action(BF, patients_from_records(records, DOSES, "test"), as_of=date(2026, 3, 1))
    assert (got.action, got.dose, got.eliminated) == ("stop", None, [1, 2, 3, 4, 5]), got.reasons
    assert "dose 1 is eliminated: the trial stops without an MTD" in got.reasons
    # Without dates, the same in titration: a DLT at 25 expands it to a cohort; 3/3 eliminates.
    # Beta(4, 1): Pr(φ > 0.3) = 1 - 0.3⁴ = 0.992.
    got = step("1T 1TT")
    assert (got.action, got.eliminated) == ("stop", [1, 2, 3, 4, 5])


def test_dlt_dates_are_checked() -> None:
    base = [{"dose": 1, "dlt": True, "treated_on": "2026-01-01"}]
    with pytest.raises(DoseFindingError, match="patient 1: dlt_on is after the 28-day DLT window"):
        next_action(HYBRID, patients_from_records([{**base[0], "dlt_on": "2026-01-30"}], DOSES, "t"), date(2026, 3, 1))
    with pytest.raises(DoseFindingError, match="patient 1: dlt_on is after as_of"):
        next_action(HYBRID, patients_from_records([{**base[0], "dlt_on": "2026-01-20"}], DOSES, "t"), date(2026, 1, 10))
    # On the last day of the window (day 28) it is a DLT.
    got = next_action(HYBRID, patients_from_records([{**base[0], "dlt_on": "2026-01-29"}], DOSES, "t"), date(2026, 2, 1))
    assert (got.action, got.dose, got.patients) == ("treat", 1, 2)


def test_backfill_deviations_with_dates() -> None:
    # Titration: 25 on 1 Jan (window to 29 Jan), 50 on 30 Jan (window to 27 Feb).
    records = [{"dose": 1, "dlt": False, "response": True, "treated_on": "2026-01-01"},
               {"dose": 2, "dlt": False, "treated_on": "2026-01-30"},
               {"dose": 2, "dlt": False, "backfill": True, "treated_on": "2026-02-02"},
               {"dose": 1, "dlt": False, "backfill": True, "treated_on": "2026-02-05"},
               {"dose": 1, "dlt": False, "backfill": True, "treated_on": "2026-03-10"}]  # fmt: skip
    got = next_action(BF, patients_from_records(records, DOSES, "test"), as_of=date(2026, 4, 30))
    assert got.deviations == ["patient 3 was backfilled at dose 2, not below the current dose 2",
                              "patient 5 was backfilled after the cohort at dose 2 was complete"]  # fmt: skip
    first = [{"dose": 1, "dlt": False, "backfill": True, "treated_on": "2026-01-01"}]
    got = next_action(BF, patients_from_records(first, DOSES, "test"), as_of=date(2026, 3, 1))
    assert got.deviations == ["patient 1 was backfilled before any escalation cohort"]


def test_a_patient_after_the_completion_day_follows_the_decision_of_that_day() -> None:
    # The records of test_a_cohort_is_decided_on_the_day_it_was_complete, and the next patient
    # at 200 on 12 May as the rules said on 29 April; the backfill DLT at 50 known on 2 May
    # does not turn that into a deviation.
    records = [{"dose": 1, "dlt": False, "treated_on": "2026-01-05", "response": True},
               {"dose": 2, "dlt": False, "treated_on": "2026-02-05"},
               {"dose": 3, "dlt": False, "treated_on": "2026-03-20"}, {"dose": 3, "dlt": False, "treated_on": "2026-03-25"},
               {"dose": 3, "dlt": False, "treated_on": "2026-04-01"},
               {"dose": 2, "dlt": True, "dlt_on": "2026-05-02", "treated_on": "2026-04-20", "backfill": True},
               {"dose": 4, "treated_on": "2026-05-12"}]  # fmt: skip
    got = next_action(BF, patients_from_records(records, DOSES, "test"), as_of=date(2026, 5, 13))
    assert got.deviations == [] and (got.action, got.dose) == ("treat", 4)
