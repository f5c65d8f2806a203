"""Dose-finding protocol files: TOML a statistician writes and reviews, read into a ``Protocol``.

Sections ``[trial]`` (id, title, dose labels and unit), ``[design]`` (escalation rule and BOIN
parameters), optional ``[titration]`` and ``[backfill]``. Every value is checked; an error
names the section and key. Parsing works on the text: reading the file is the caller's job.
"""

from __future__ import annotations

import tomllib
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from remission.dosefinding.boundaries import BoinDesign, DoseFindingError
from remission.dosefinding.live import Backfill, Protocol, Titration


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TrialSection(_Strict):
    id: str
    title: str = ""
    doses: list[str] = Field(min_length=1)
    dose_unit: str = ""


class DesignSection(_Strict):
    escalation: Literal["boin", "3+3"] = "boin"
    target: float = Field(0.30, ge=0.05, le=0.6)
    cohort_size: int = Field(3, ge=1, le=12)
    max_n: int = Field(ge=1, le=1000)
    n_earlystop: int = Field(100, ge=1)
    cutoff_eli: float = Field(0.95, ge=0.5, lt=1)
    extrasafe: bool = False
    offset: float = Field(0.05, ge=0, lt=0.5)
    p_saf: float | None = None
    p_tox: float | None = None
    start_dose: int = Field(1, ge=1)
    dlt_window_days: int = Field(28, ge=1, le=365)


class TitrationSection(_Strict):
    levels: int = Field(ge=1)
    grade2_trigger: bool = True
    on_trigger: Literal["expand_to_cohort", "next_design"] = "expand_to_cohort"


class BackfillSection(_Strict):
    cap: int = Field(12, ge=1, le=100)
    rules: Literal["paper", "bfboin"] = "paper"
    assign: Literal["highest", "lowest"] = "highest"
    require_response: bool = True


class ProtocolFile(_Strict):
    trial: TrialSection
    design: DesignSection
    titration: TitrationSection | None = None
    backfill: BackfillSection | None = None

    def protocol(self) -> Protocol:
        d = self.design
        cohorts = -(-d.max_n // d.cohort_size)
        boin = BoinDesign(target=d.target, cohort_size=d.cohort_size, n_cohorts=cohorts, p_saf=d.p_saf,
                          p_tox=d.p_tox, cutoff_eli=d.cutoff_eli, extrasafe=d.extrasafe, offset=d.offset,
                          n_earlystop=d.n_earlystop)  # fmt: skip
        titration = None if self.titration is None else Titration(**self.titration.model_dump())
        backfill = None if self.backfill is None else Backfill(**self.backfill.model_dump())
        return Protocol(self.trial.doses, boin=boin, escalation=d.escalation, titration=titration,
                        backfill=backfill, max_n=d.max_n, start_dose=d.start_dose,
                        dlt_window_days=d.dlt_window_days)  # fmt: skip


def read_protocol(text: str, source: str = "protocol") -> tuple[ProtocolFile, Protocol]:
    """The protocol file ``text`` (named ``source`` in errors) and the ``Protocol`` it defines."""
    try:
        spec = ProtocolFile.model_validate(tomllib.loads(text))
    except tomllib.TOMLDecodeError as exc:
        raise DoseFindingError(f"{source}: not valid TOML: {exc}") from None
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise DoseFindingError(f"{source}: {problems}") from None
    try:
        return spec, spec.protocol()
    except DoseFindingError as exc:
        raise DoseFindingError(f"{source}: {exc}") from None
