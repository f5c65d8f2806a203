"""The next action of a running trial, with its reasons: accelerated titration, then BOIN (or 3+3),
then stop at the maximum sample size, then MTD selection.

A design here is immutable configuration (``Protocol``); ``next_action(protocol, patients)``
fits it to the patients so far and says what to do next, as the R package ``escalation`` does
with its chained selectors (ideas only). The chain is:

1. **Accelerated titration** (Simon R et al., J Natl Cancer Inst 1997;89:1138-1147,
   doi:10.1093/jnci/89.15.1138), restricted to the first ``titration_levels`` doses: one patient
   per dose until the first DLT or the second patient with a grade ≥ 2 toxicity. At that
   trigger the protocol says what happens: ``expand_to_cohort`` fills the trigger dose up to a
   cohort (the index patient counts; R BOIN's titration does this) and the next design carries
   on from there; ``next_design`` lets the next design decide at once on the single patient.
   Without a trigger, titration ends above its last level and cohorts start at the next dose.
   Simon's designs 2-4 differ otherwise in dose steps (fixed here by the protocol's doses) and
   in counting toxicity of later courses (design 4), which a single-infusion cell product does
   not have; so one titration rule covers them.
2. **BOIN** (Liu & Yuan 2015) on every patient treated so far, titration patients included:
   decisions from the boundary table at the current dose, elimination (permanent) by the Beta
   rule, the trial stopped if the lowest dose is eliminated (or by ``extrasafe``), and
   ``n_earlystop``; or **3+3** (Storer BE, Biometrics 1989;45:925-937, doi:10.2307/2531693).
3. **Stop at N**: no patient beyond the maximum sample size.
4. **MTD selection** by ``select_mtd`` once every DLT window is closed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Literal

from remission.dosefinding.boundaries import BoinDesign, BoundaryRow, Decision, DoseFindingError
from remission.dosefinding.mtd import MtdSelection, eliminated_doses, select_mtd
from remission.dosefinding.outcomes import Patient, counts

Action = Literal["treat", "backfill", "wait", "stop"]
Phase = Literal["titration", "boin", "3+3", "complete"]


@dataclass(frozen=True)
class Titration:
    levels: int = 2  # titrate on doses 1..levels only
    grade2_trigger: bool = True  # the second grade ≥ 2 toxicity ends titration (Simon); R BOIN: DLT only
    on_trigger: Literal["expand_to_cohort", "next_design"] = "expand_to_cohort"


@dataclass(frozen=True)
class Backfill:
    """BF-BOIN backfilling (Zhao Y, Yuan Y, Korn EL, Freidlin B. Clin Cancer Res 2024;30:673-679,
    doi:10.1158/1078-0432.CCR-23-2585): while the escalation cohort is in its DLT window, a new
    patient goes to a lower dose b that is open for backfill: b has been cleared (escalation
    went above it), is not eliminated, has shown a response (``require_response``), has fewer
    than ``cap`` patients (pending ones included), and is safe: its DLT rate with every
    evaluable patient is below λd. A dose that is not safe closes itself and every dose above.

    ``rules="bfboin"`` follows bfboin 0.1.1 where it differs from that reading of the paper: a
    dose is also safe when the pooled data of b and b + 1 are below λd, and the cap is checked
    before adding a patient (``≤ cap``, so a dose can end with cap + 1). The paper's full text
    was not available to check these two points word for word: the default follows the rules
    as the paper's abstract and the reference notes state them."""

    cap: int = 12
    rules: Literal["paper", "bfboin"] = "paper"
    assign: Literal["highest", "lowest"] = "highest"
    require_response: bool = True


@dataclass(frozen=True)
class Protocol:
    doses: list[str]  # labels, lowest first
    boin: BoinDesign = field(default_factory=BoinDesign)
    escalation: Literal["boin", "3+3"] = "boin"
    titration: Titration | None = None
    backfill: Backfill | None = None
    max_n: int | None = None  # default: the BOIN design's cohorts × cohort size
    start_dose: int = 1
    dlt_window_days: int = 28

    def __post_init__(self) -> None:
        if not self.doses:
            raise DoseFindingError("a protocol needs at least one dose")
        if not 1 <= self.start_dose <= len(self.doses):
            raise DoseFindingError(f"start_dose = {self.start_dose} is out of range (1 to {len(self.doses)})")
        if self.titration is not None and not 1 <= self.titration.levels <= len(self.doses):
            raise DoseFindingError(
                f"titration levels = {self.titration.levels} is out of range (1 to {len(self.doses)})"
            )

    @property
    def sample_size(self) -> int:
        return self.max_n if self.max_n is not None else self.boin.max_n


@dataclass(frozen=True)
class NextAction:
    action: Action
    dose: int | None  # 1-based dose for the next patient(s)
    patients: int  # how many to enrol there now
    phase: Phase
    reasons: list[str]
    n: list[int]
    y: list[int]
    pending: list[int]
    eliminated: list[int]  # 1-based
    decision_row: BoundaryRow | None = None
    mtd: MtdSelection | None = None
    backfill_open: list[int] = field(default_factory=list)  # 1-based doses open for backfill now


@dataclass(frozen=True)
class _State:
    """The trial so far, as every rule reads it."""

    protocol: Protocol
    n: list[int]
    y: list[int]
    pending: list[int]
    eliminated: list[bool]
    total: int
    responded: list[bool]
    window_notes: list[str]

    def answer(self, action: Action, dose: int | None, k: int, phase: Phase, reasons: list[str],
               row: BoundaryRow | None = None, mtd: MtdSelection | None = None) -> NextAction:  # fmt: skip
        gone = [j + 1 for j, e in enumerate(self.eliminated) if e]
        return NextAction(action, dose, k, phase, reasons, self.n, self.y, self.pending, gone, row, mtd)

    @property
    def remaining(self) -> int:
        return self.protocol.sample_size - self.total

    def treat(self, dose: int, k: int, phase: Phase, reasons: list[str], row: BoundaryRow | None = None) -> NextAction:
        return self.answer("treat", dose, min(k, self.remaining), phase, reasons, row)

    def finish(self, reasons: list[str], row: BoundaryRow | None = None) -> NextAction:
        if any(self.pending):
            return self.answer("wait", None, 0, "complete", [*reasons, "waiting for the open DLT windows before"
                               " selecting the MTD", *self.window_notes], row)  # fmt: skip
        chosen = select_mtd(self.protocol.boin, self.n, self.y)
        text = "no MTD: every dose is too toxic" if chosen.mtd is None else f"MTD: dose {chosen.mtd}"
        return self.answer("stop", None, 0, "complete", [*reasons, text], row, chosen)


def _groups(patients: Sequence[Patient]) -> list[list[Patient]]:
    """Consecutive escalation patients at one dose (backfill patients are not in any group)."""
    groups: list[list[Patient]] = []
    for p in patients:
        if p.backfill:
            continue
        if groups and groups[-1][0].dose == p.dose:
            groups[-1].append(p)
        else:
            groups.append([p])
    return groups


@dataclass(frozen=True)
class _TitrationStatus:
    groups: int  # how many leading groups are titration
    running: bool
    why: str
    trigger_dose: int | None = None


def _titration(protocol: Protocol, groups: list[list[Patient]]) -> _TitrationStatus:
    """Where titration stands: still running, triggered (at which dose) or ended."""
    spec = protocol.titration
    if spec is None:
        return _TitrationStatus(0, False, "")
    grade2 = 0
    for i, group in enumerate(groups):
        expected = protocol.start_dose + i
        if group[0].dose != expected or expected > spec.levels:
            return _TitrationStatus(i, False, f"titration ended above dose {spec.levels}")
        for position, p in enumerate(group):
            grade2 += int(p.grade2)
            trigger = ("a DLT" if p.dlt else "a second grade ≥ 2 toxicity" if spec.grade2_trigger and grade2 >= 2
                       else None)  # fmt: skip
            if trigger is not None and position == 0:
                return _TitrationStatus(i + 1, False, f"titration triggered by {trigger} at dose {p.dose}", p.dose)
        if len(group) > 1:
            return _TitrationStatus(i + 1, False, f"titration ended: dose {group[0].dose} was expanded")
    return _TitrationStatus(len(groups), True, "titration")


def _eliminated(protocol: Protocol, patients: Sequence[Patient]) -> list[bool]:
    """Doses eliminated at any point so far (elimination is permanent), replaying the data
    after every patient whose DLT window has closed."""
    doses = len(protocol.doses)
    out = [False] * doses
    done: list[Patient] = []
    for p in patients:
        if p.dlt is None:
            continue
        done.append(p)
        n, y, _ = counts(done, doses)
        out = [a or b for a, b in zip(out, eliminated_doses(protocol.boin, n, y), strict=True)]
    return out


def _window_notes(protocol: Protocol, patients: Sequence[Patient], as_of: date | None) -> list[str]:
    """For patients still pending and with a treatment date: when their DLT window closes, or
    that it has closed and the outcome should be recorded (patients are named by position)."""
    notes = []
    for i, p in enumerate(patients, start=1):
        if p.dlt is not None or p.treated_on is None:
            continue
        closes = p.treated_on + timedelta(days=protocol.dlt_window_days)
        if as_of is not None and closes <= as_of:
            notes.append(f"patient {i} (dose {p.dose}): DLT window closed on {closes.isoformat()}; record the outcome")
        else:
            notes.append(f"patient {i} (dose {p.dose}): DLT window closes on {closes.isoformat()}")
    return notes


def next_action(protocol: Protocol, patients: Sequence[Patient], as_of: date | None = None) -> NextAction:
    """What to do now (see the module docstring). ``as_of`` (the caller's today) lets the
    reasons say which open DLT windows have in fact closed, from the treatment dates."""
    doses = len(protocol.doses)
    n, y, pending = counts(patients, doses)
    responded = [any(p.response for p in patients if p.dose == j + 1) for j in range(doses)]
    notes = _window_notes(protocol, patients, as_of)
    state = _State(protocol, n, y, pending, _eliminated(protocol, patients), len(patients), responded, notes)
    if state.eliminated[0]:
        return state.answer("stop", None, 0, "complete", [
            f"dose 1 is eliminated (Pr(DLT rate > {protocol.boin.target}) > {protocol.boin.cutoff_eli}, or the "
            "extra-safe rule): the trial stops without an MTD"])  # fmt: skip
    groups = _groups(patients)
    if not groups:
        first = protocol.start_dose
        if protocol.titration is not None:
            return state.treat(first, 1, "titration", [f"titration: one patient at the starting dose {first}"])
        return state.treat(first, protocol.boin.cohort_size, protocol.escalation,
                           [f"first cohort at the starting dose {first}"])  # fmt: skip
    if state.remaining <= 0:
        return state.finish([f"maximum sample size {protocol.sample_size} reached"])
    current = groups[-1][0].dose
    cohort_pending = sum(1 for p in groups[-1] if p.dlt is None)
    if cohort_pending:
        phase = "titration" if _titration(protocol, groups).running else protocol.escalation
        waiting = f"{cohort_pending} patient(s) of the cohort at dose {current} still in the DLT window"
        open_doses, why = _backfill_open(state, current)
        if open_doses:
            spec = protocol.backfill
            assert spec is not None
            dose = max(open_doses) if spec.assign == "highest" else min(open_doses)
            reasons = [waiting, *state.window_notes, *why, f"backfill one patient at dose {dose}"]
            action = state.answer("backfill", dose, 1, phase, reasons)
        else:
            action = state.answer("wait", None, 0, phase, [waiting, *state.window_notes, *why])
        return replace(action, backfill_open=open_doses)
    status = _titration(protocol, groups)
    size = protocol.boin.cohort_size
    if status.running:
        nxt = current + 1
        if nxt > doses or state.eliminated[nxt - 1]:
            return _escalate(state, current, ["titration reached the top dose"])
        assert protocol.titration is not None
        if nxt > protocol.titration.levels:
            return state.treat(nxt, size, protocol.escalation, [f"titration ended above dose "
                               f"{protocol.titration.levels}: a cohort of {size} at dose {nxt}"])  # fmt: skip
        return state.treat(nxt, 1, "titration", [f"titration: no DLT and fewer than two grade ≥ 2 toxicities; "
                                                 f"one patient at dose {nxt}"])  # fmt: skip
    reasons = [status.why] if status.why else []
    last = groups[-1]
    if status.trigger_dose is not None and status.groups == len(groups):
        assert protocol.titration is not None
        if protocol.titration.on_trigger == "expand_to_cohort" and len(last) < size:
            return state.treat(current, size - len(last), protocol.escalation,
                               [*reasons, f"expand dose {current} to a cohort of {size}"])  # fmt: skip
    elif len(groups) > status.groups and len(last) % size:
        return state.treat(current, size - len(last) % size, protocol.escalation,
                           [f"the cohort at dose {current} has {len(last) % size} of {size} patients"])  # fmt: skip
    return _escalate(state, current, reasons)


def _backfill_open(state: _State, current: int) -> tuple[list[int], list[str]]:
    """Doses open for backfill now (see ``Backfill``), and why the others below ``current`` are not."""
    spec = state.protocol.backfill
    if spec is None or state.remaining <= 0:
        return [], []
    table = state.protocol.boin
    open_doses: list[int] = []
    why: list[str] = []
    unsafe_from: int | None = None
    for b in range(1, current):
        nb, yb = state.n[b - 1], state.y[b - 1]
        safe = nb > 0 and yb < table.row(nb).deescalate_if_dlt_ge
        if not safe and spec.rules == "bfboin" and nb > 0:
            n2, y2 = nb + state.n[b], yb + state.y[b]
            safe = y2 < table.row(n2).deescalate_if_dlt_ge if n2 else False
        if unsafe_from is None and not safe and nb > 0:
            unsafe_from = b
        enrolled = nb + state.pending[b - 1]
        full = enrolled > spec.cap if spec.rules == "bfboin" else enrolled >= spec.cap
        if nb == 0:
            why.append(f"dose {b}: no evaluable patient")
        elif unsafe_from is not None:
            why.append(f"dose {b}: closed for backfill (DLT rate ≥ λd at dose {unsafe_from})")
        elif state.eliminated[b - 1]:
            why.append(f"dose {b}: eliminated")
        elif spec.require_response and not state.responded[b - 1]:
            why.append(f"dose {b}: no response yet")
        elif full:
            why.append(f"dose {b}: {enrolled} patients, at the cap of {spec.cap}")
        else:
            open_doses.append(b)
    return open_doses, why


def _decisions(state: _State, upto: int) -> list[Decision]:
    """The BOIN decision of every dose 1..upto on all its evaluable patients (none: escalate)."""
    table = state.protocol.boin
    return [table.row(state.n[j]).decision(state.y[j]) if state.n[j] else Decision.ESCALATE for j in range(upto)]


def _pooled_move(state: _State, low: int, current: int) -> tuple[int, str]:
    """BF-BOIN's answer to a conflict between the current dose and a lower dose ``low``: pool
    the doses low..current; escalate if the pooled rate is ≤ λe; if ≥ λd go to the highest dose
    k whose cumulative pooled rate (low..k) is below λd, else below ``low``; otherwise stay."""
    table = state.protocol.boin
    n_pool = sum(state.n[low - 1 : current])
    y_pool = sum(state.y[low - 1 : current])
    row = table.row(n_pool)
    said = f"conflict with dose {low}: pooled doses {low}-{current} have {y_pool} DLT in {n_pool}"
    if y_pool <= row.escalate_if_dlt_le:
        return current + 1, f"{said} (≤ λe): escalate"
    if y_pool < row.deescalate_if_dlt_ge:
        return current, f"{said}: stay"
    safe = [k for k in range(low, current + 1)
            if sum(state.y[low - 1 : k]) < table.row(sum(state.n[low - 1 : k])).deescalate_if_dlt_ge]  # fmt: skip
    if not safe:
        return low - 1, f"{said} (≥ λd), and no dose from {low} up is safe: go to dose {low - 1}"
    return max(safe), f"{said} (≥ λd): the highest safe dose is {max(safe)}"


def _escalate(state: _State, current: int, reasons: list[str]) -> NextAction:
    if state.protocol.escalation == "3+3":
        return _three_plus_three(state, current, reasons)
    if state.protocol.backfill is not None and current > 1:
        conflict = _bf_boin_conflict(state, current, reasons)
        if conflict is not None:
            return conflict
    design = state.protocol.boin
    doses = len(state.protocol.doses)
    nd, yd = state.n[current - 1], state.y[current - 1]
    row = design.row(nd)
    decision = row.decision(yd)
    lambda_e, lambda_d = design.lambdas
    said = f"dose {current}: {yd} DLT in {nd} (rate {yd / nd:.2f}; λe {lambda_e:.3f}, λd {lambda_d:.3f})"
    blocked = current == doses or state.eliminated[current]
    down = decision in (Decision.DEESCALATE, Decision.DEESCALATE_AND_ELIMINATE)
    keeps = decision is Decision.STAY or (decision is Decision.ESCALATE and blocked) or (down and current == 1)
    if nd >= design.n_earlystop and keeps:
        return state.finish([*reasons, said, f"{nd} patients at dose {current} reach n_earlystop "
                             f"({design.n_earlystop}) and the decision keeps the dose: stop"], row)  # fmt: skip
    if decision is Decision.ESCALATE and not blocked:
        target, text = current + 1, f"escalate to dose {current + 1}"
    elif decision is Decision.ESCALATE:
        target = current
        text = f"escalate, but dose {current + 1} is eliminated: stay" if current < doses else "top dose: stay"
    elif decision is Decision.STAY:
        target, text = current, f"stay at dose {current}"
    else:
        verb = "de-escalate"
        if decision is Decision.DEESCALATE_AND_ELIMINATE:
            verb += f" (doses ≥ {current} eliminated)"
        target = max(current - 1, 1)
        text = f"{verb} to dose {target}" if current > 1 else f"{verb}: dose 1 is the lowest, stay"
    return state.treat(target, design.cohort_size, "boin", [*reasons, f"{said}: {text}"], row)


def _three_plus_three(state: _State, current: int, reasons: list[str]) -> NextAction:
    """3+3 (Storer 1989): 0 DLT in 3 escalates; 1 in 3 treats 3 more at the dose; at most 1 in
    6 escalates; 2 or more DLTs mean the dose is above the MTD: the MTD is the dose below once
    6 have been treated there (3 more are treated there first if only 3 were). A dose whose
    next dose is above the MTD, or the top dose, is confirmed with 6 before it is the MTD."""
    doses = len(state.protocol.doses)
    nd, yd = state.n[current - 1], state.y[current - 1]
    said = f"dose {current}: {yd} DLT in {nd}"

    def stop(text: str) -> NextAction:
        return state.answer("stop", None, 0, "complete", [*reasons, f"{said}: {text}"])

    if yd >= 2:
        below = current - 1
        if below == 0:
            return stop("too toxic at the lowest dose; no MTD")
        if state.n[below - 1] >= 6:
            return stop(f"too toxic; MTD: dose {below}")
        return state.treat(below, 3, "3+3", [*reasons, f"{said}: too toxic; 3 more at dose {below}"])
    if nd < 6 and yd == 1:
        return state.treat(current, 3, "3+3", [*reasons, f"{said}: 3 more at dose {current}"])
    above_too_toxic = current < doses and state.y[current] >= 2
    if above_too_toxic or current == doses:
        if nd >= 6:
            return stop(f"MTD: dose {current}")
        why = "the dose above is too toxic" if above_too_toxic else "top dose"
        return state.treat(current, 3, "3+3", [*reasons, f"{said}: {why}; 3 more at dose {current} to confirm"])
    return state.treat(current + 1, 3, "3+3", [*reasons, f"{said}: escalate to dose {current + 1}"])


def _bf_boin_conflict(state: _State, current: int, reasons: list[str]) -> NextAction | None:
    """BF-BOIN (Zhao 2024): when the current dose and a lower dose disagree (the current dose
    says escalate and a lower one does not; or the current dose says stay or de-escalate and a
    lower one says de-escalate), resolve by pooling (``_pooled_move``). None when they agree."""
    decisions = _decisions(state, current)
    here, below = decisions[-1], decisions[:-1]
    down = (Decision.DEESCALATE, Decision.DEESCALATE_AND_ELIMINATE)
    if here is Decision.ESCALATE:
        clash = [b + 1 for b, d in enumerate(below) if d is not Decision.ESCALATE]
    else:
        clash = [b + 1 for b, d in enumerate(below) if d in down]
    if not clash:
        return None
    doses = len(state.protocol.doses)
    target, text = _pooled_move(state, max(clash), current)
    eliminated = list(state.eliminated)
    if target > current and (current == doses or eliminated[current]):
        blocked = "eliminated" if current < doses else "not there"
        target, text = current, text + f", but dose {current + 1} is {blocked}: stay"
    if target == 0:
        target, text = 1, text.replace("go to dose 0", "dose 1 is the lowest: stay at dose 1")
    row = state.protocol.boin.row(state.n[current - 1])
    nd = state.n[current - 1]
    if target == current and nd >= state.protocol.boin.n_earlystop:
        return state.finish([*reasons, text, f"{nd} patients at dose {current} reach n_earlystop: stop"], row)
    return state.treat(target, state.protocol.boin.cohort_size, "boin", [*reasons, text], row)
