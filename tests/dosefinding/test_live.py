"""Step-by-step scenarios for live decisions, written out as outcome strings with the expected
next action at each step (no reference software runs this hybrid: each expectation is worked
out by hand from the BOIN table for φ = 0.30, cohort 3 — λe 0.2365, λd 0.3585; at n = 3:
E 0, S 1, D 2, DU 3; at n = 6: E ≤ 1, S 2, D 3, DU ≥ 4)."""

from __future__ import annotations

import pytest

from remission.dosefinding.boundaries import BoinDesign, DoseFindingError
from remission.dosefinding.live import Backfill, NextAction, Protocol, Titration, next_action
from remission.dosefinding.outcomes import format_outcomes, parse_outcomes

DOSES = ["25", "50", "100", "200", "400"]
HYBRID = Protocol(DOSES, boin=BoinDesign(0.30, n_cohorts=12), titration=Titration(levels=2), max_n=36)


def step(outcomes: str, protocol: Protocol = HYBRID) -> NextAction:
    return next_action(protocol, parse_outcomes(outcomes, len(protocol.doses)))


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
    assert "eliminated" in got.reasons[-1]


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
    protocol = Protocol(DOSES, titration=Titration(levels=2, on_trigger="next_design"), max_n=36)
    got = step("1T", protocol)
    assert (got.action, got.dose, got.patients) == ("treat", 1, 3)
    got = step("1N 2T", protocol)  # at 50: 1/1 → de-escalate to 25
    assert (got.dose, got.patients) == (1, 3)


def test_r_boin_titration_ignores_grade_2() -> None:
    protocol = Protocol(DOSES, titration=Titration(levels=5, grade2_trigger=False), max_n=36)
    assert (step("1G 2G", protocol).dose, step("1G 2G", protocol).patients) == (3, 1)


def test_stop_at_maximum_sample_size_and_select() -> None:
    # 1 + 1 + 6 at dose 4 + 28 at dose 3 = 36: dose 4 has 4 DLT in 6 (eliminated with dose 5), dose 3
    # 3 in 28 and stays (escalation is blocked); the last cohort is cut to the one place left.
    outcomes = "1N 2N 3NNN 4NTT 3NNN 4TTN 3NNT 3NTT 3NNN 3NNN 3NNN 3NNN 3NNN 3N"
    assert step(outcomes.removesuffix(" 3N")).patients == 1
    got = step(outcomes)
    assert len(parse_outcomes(outcomes)) == 36
    assert got.action == "stop" and got.mtd is not None and got.mtd.mtd == 3
    assert "maximum sample size 36" in got.reasons[0]


def test_n_earlystop() -> None:
    protocol = Protocol(DOSES, boin=BoinDesign(0.30, n_earlystop=12), titration=Titration(levels=2), max_n=36)
    # Dose 3 reaches 12 patients with 3 DLTs: n = 12 stays for 3 (E ≤ 2, D ≥ 5) → stop and select.
    got = step("1N 2N 3NNN 3NTN 3NNT 3NTN", protocol)
    assert got.action == "stop" and got.mtd is not None and got.mtd.mtd == 3
    assert any("n_earlystop" in r for r in got.reasons)


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
    got = step(outcomes, Protocol(DOSES, escalation="3+3", max_n=30))
    assert (got.action, got.dose) == (action, dose), got.reasons
    assert any(why in r for r in got.reasons), got.reasons


def test_notation_round_trip_and_errors() -> None:
    text = "1N 2G b1NT 3NNP"
    assert format_outcomes(parse_outcomes(text)) == text
    with pytest.raises(DoseFindingError, match="'3X'"):
        parse_outcomes("1N 3X")
    with pytest.raises(DoseFindingError, match="dose 6 does not exist"):
        parse_outcomes("6N", doses=5)


BF = Protocol(DOSES, boin=BoinDesign(0.30, n_cohorts=12), titration=Titration(levels=2), max_n=36,
              backfill=Backfill(cap=12))  # fmt: skip


@pytest.mark.parametrize(
    ("outcomes", "action", "dose", "open_doses"),
    [
        # Cohort at 200 in its window; 25 responded (R), 50 and 100 have no response: backfill at 25.
        ("1R 2N 3NNN 4PPP", "backfill", 1, [1]),
        ("1N 2N 3NRN 4PPP", "backfill", 3, [3]),  # a response at 100: backfill there
        # Two backfill DLTs at 100: 2 in 5 ≥ λd (D at n = 5 is ≥ 2): 100 closes; 25 and 50 have no response.
        ("1N 2N 3NRN 4PPP b3T b3T", "wait", None, []),
        ("1N 2N 3NRN 4PPP b3N b3P", "backfill", 3, [3]),  # a pending backfill patient does not close it
    ],
)
def test_backfill_opening(outcomes: str, action: str, dose: int | None, open_doses: list[int]) -> None:
    got = step(outcomes, BF)
    assert (got.action, got.dose, got.backfill_open) == (action, dose, open_doses), got.reasons


def test_backfill_cap_paper_and_bfboin() -> None:
    # Without the response rule and a cap of 4: 100 has 4 patients (3 + 1 backfill). The paper's
    # reading closes it at the cap; bfboin checks "≤ cap" before adding, so it stays open.
    paper = Protocol(DOSES, max_n=36, titration=Titration(levels=2), backfill=Backfill(cap=4, require_response=False))
    bfboin = Protocol(DOSES, max_n=36, titration=Titration(levels=2),
                      backfill=Backfill(cap=4, require_response=False, rules="bfboin"))  # fmt: skip
    outcomes = "1N 2N 3NNN b3N 4PPP"
    assert step(outcomes, paper).backfill_open == [1, 2]
    assert step(outcomes, bfboin).backfill_open == [1, 2, 3]
    assert (step(outcomes, paper).dose, step(outcomes, bfboin).dose) == (2, 3)


def test_bf_boin_conflict_pooling() -> None:
    # 100 has 2 DLT in 5 (3 + 2 backfill): D at n = 5; 200 has 0/3: E. Conflict: pool 100-200,
    # 2 DLT in 8: E ≤ 1, D ≥ 3 → stay at 200.
    got = step("1N 2N 3NRN b3TT 4NNN", BF)
    assert (got.action, got.dose) == ("treat", 4), got.reasons
    assert "pooled doses 3-4 have 2 DLT in 8" in got.reasons[-1]
    # 100 has 4 DLT in 7 (D), 200 0/3 (E); pooled 4 in 10 ≥ λd (D ≥ 4). Cumulative from 100:
    # 4/7 (D ≥ 3) not safe, 4/10 not safe → below 100: dose 2.
    got = step("1N 2N 3NRN b3TTTT 4NNN", BF)
    assert (got.action, got.dose, got.patients) == ("treat", 2, 3), got.reasons
    # Without backfill the same counts are plain BOIN at 200: escalate.
    assert step("1N 2N 3NRN b3TT 4NNN", HYBRID).dose == 5


def test_dlt_windows_from_treatment_dates() -> None:
    from datetime import date

    from remission.dosefinding.outcomes import patients_from_records

    records = [{"dose": 1, "dlt": False}, {"dose": 2, "dlt": False}, {"dose": 3, "dlt": False},
               {"dose": 3, "treated_on": "2026-11-01"}, {"dose": 3, "dlt": "pending", "treated_on": "2026-11-10"}]  # fmt: skip
    patients = patients_from_records(records, DOSES, "test")
    # 28-day window: 2026-11-01 + 28 days = 2026-11-29 (closed by 2026-12-01); 2026-11-10 + 28 = 2026-12-08.
    got = next_action(HYBRID, patients, as_of=date(2026, 12, 1))
    assert got.action == "wait"
    assert "patient 4 (dose 3): DLT window closed on 2026-11-29; record the outcome" in got.reasons
    assert "patient 5 (dose 3): DLT window closes on 2026-12-08" in got.reasons
