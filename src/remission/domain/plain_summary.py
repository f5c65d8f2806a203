"""A trial in plain words, written from its structured fields alone (no language model), so the
same record always gives the same text and every sentence can be traced to a field.

The sentences follow the order the plain-language guidance for trial summaries asks for (EU
Clinical Trials Regulation 536/2014 Annex V; the NIH "Plain Language" guidelines): what is
tested, who can join, what happens and for how long, where, and what is not yet known, with
the date of the data. Words are short and sentences one idea each: the English text is
measured by Flesch-Kincaid grade (``textstat``) in the tests, aiming at grade 8 or lower.

Each sentence is an English template with ``%(name)s`` fields; ``gettext`` translates the
template and each term, so the Chinese text is built from the same facts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from remission.domain.marker import N_
from remission.domain.trial import Trial
from remission.domain.vocab import CellSource, CellType, DiseaseCode, EscalationMethod, OverallStatus, Phase

Translate = Callable[[str], str]


def _same(text: str) -> str:
    return text


#: Everyday names, in the words patients' groups use.
PLAIN_DISEASE: dict[DiseaseCode, str] = {
    DiseaseCode.AUTOIMMUNE: N_("an autoimmune disease"),
    DiseaseCode.SLE: N_("lupus (SLE)"),
    DiseaseCode.LN: N_("lupus of the kidneys (lupus nephritis)"),
    DiseaseCode.SSC: N_("scleroderma (systemic sclerosis)"),
    DiseaseCode.AAV: N_("ANCA vasculitis"),
    DiseaseCode.GPA: N_("GPA vasculitis"),
    DiseaseCode.MPA: N_("MPA vasculitis"),
    DiseaseCode.EGPA: N_("EGPA vasculitis"),
    DiseaseCode.IIM: N_("myositis"),
    DiseaseCode.DM: N_("dermatomyositis"),
    DiseaseCode.PM: N_("polymyositis"),
    DiseaseCode.IMNM: N_("necrotising myositis"),
    DiseaseCode.ASYS: N_("antisynthetase syndrome"),
    DiseaseCode.SJS: N_("Sjögren's disease"),
    DiseaseCode.RA: N_("rheumatoid arthritis"),
    DiseaseCode.TAK: N_("Takayasu arteritis"),
    DiseaseCode.IGG4RD: N_("IgG4-related disease"),
    DiseaseCode.MG: N_("myasthenia gravis"),
    DiseaseCode.NMOSD: N_("NMOSD"),
    DiseaseCode.MS: N_("multiple sclerosis"),
    DiseaseCode.ITP: N_("low platelets from the immune system (ITP)"),
    DiseaseCode.AIHA: N_("autoimmune anaemia"),
    DiseaseCode.IGAN: N_("IgA kidney disease"),
    DiseaseCode.MN: N_("membranous kidney disease"),
    DiseaseCode.APS: N_("antiphospholipid syndrome"),
    DiseaseCode.CIDP: N_("CIDP"),
    DiseaseCode.AIE: N_("autoimmune encephalitis"),
    DiseaseCode.SPS: N_("stiff person syndrome"),
    DiseaseCode.MOGAD: N_("MOGAD"),
    DiseaseCode.PEMPHIGUS: "pemphigus",
}

_WHAT_CELLS: dict[CellType, str] = {
    CellType.CAR_T: N_("T cells, a kind of immune cell"),
    CellType.CAR_NK: N_("NK cells, a kind of immune cell"),
    CellType.CAR_NKT: N_("NKT cells, a kind of immune cell"),
    CellType.CAR_TREG: N_("regulatory T cells, immune cells that calm the immune system"),
    CellType.CAAR_T: N_("T cells, a kind of immune cell"),
    CellType.CAR_GDT: "gamma delta T cells, a kind of immune cell",
}

_TARGET_AIM: dict[str, str] = {
    "CD19": N_("B cells"),
    "CD20": N_("B cells"),
    "BCMA": N_("plasma cells, which make antibodies"),
    "CD7": "T cells",
}

_STATUS: dict[OverallStatus, str] = {
    OverallStatus.RECRUITING: N_("The study is looking for people to join now."),
    OverallStatus.NOT_YET_RECRUITING: N_("The study has not started to take people yet."),
    OverallStatus.ENROLLING_BY_INVITATION: N_("The study takes people only when the study team invites them."),
    OverallStatus.ACTIVE_NOT_RECRUITING: N_("The study is going on but takes no new people."),
    OverallStatus.COMPLETED: N_("The study has ended."),
    OverallStatus.TERMINATED: N_("The study was stopped early."),
    OverallStatus.SUSPENDED: N_("The study is on hold for now."),
    OverallStatus.WITHDRAWN: "The study was stopped before anyone joined.",
}

# Lymphodepletion agents as registries name them (lower-case generic names), for the catalogue.
AGENTS = (N_("fludarabine"), N_("cyclophosphamide"), N_("bendamustine"), N_("etoposide"))

_TIME = re.compile(r"(\d+(?:\.\d+)?)\s*(day|week|month|year)s?\b", re.IGNORECASE)
_WEEKS = {"day": 1 / 7, "week": 1.0, "month": 52 / 12, "year": 52.0}


@dataclass(frozen=True)
class PlainSummary:
    parts: list[tuple[str, list[str]]]  # (heading, sentences), headings translated
    data_date: str | None

    @property
    def sentences(self) -> list[str]:
        return [s for _, sentences in self.parts for s in sentences]

    @property
    def text(self) -> str:
        return " ".join(self.sentences)


def _join(items: list[str], _: Translate) -> str:
    if len(items) <= 1:
        return "".join(items)
    return _("%(first)s and %(last)s") % {"first": _(", ").join(items[:-1]), "last": items[-1]}


def follow_up_weeks(trial: Trial) -> float | None:
    """The longest time frame named by any outcome, in weeks."""
    longest: float | None = None
    for outcome in (*trial.primary_outcomes, *trial.secondary_outcomes, *trial.other_outcomes):
        for value, unit in _TIME.findall(outcome.time_frame or ""):
            weeks = float(value) * _WEEKS[unit.lower()]
            if weeks <= 15 * 52 and (longest is None or weeks > longest):
                longest = weeks
    return longest


def _what(trial: Trial, _: Translate) -> list[str]:
    out: list[str] = []
    diseases = [_(PLAIN_DISEASE[d]) for d in trial.diseases if d in PLAIN_DISEASE and d is not DiseaseCode.AUTOIMMUNE]
    who = _join(diseases[:6], _) if diseases else _("an autoimmune disease")
    product = trial.products[0] if trial.products else None
    if product is None:
        out.append(_("This study is about people with %(who)s.") % {"who": who})
        return out
    out.append(_("This study tests %(name)s in people with %(who)s.") % {"name": product.name, "who": who})
    if product.cell_type is CellType.IN_VIVO_CAR:
        out.append(_("It is a medicine that makes your own immune cells change inside your body."))
    elif product.cell_type in _WHAT_CELLS:
        if product.cell_source is CellSource.ALLOGENEIC:
            out.append(_("It is made from a healthy donor's %(cells)s.") % {"cells": _(_WHAT_CELLS[product.cell_type])})
        elif product.cell_source is CellSource.AUTOLOGOUS:
            out.append(_("It is made from your own %(cells)s.") % {"cells": _(_WHAT_CELLS[product.cell_type])})
        else:
            out.append(_("It is made from %(cells)s.") % {"cells": _(_WHAT_CELLS[product.cell_type])})
        out.append(_("In a lab, the cells get a new part (a CAR) that helps them find their target."))
    aims = list(dict.fromkeys(_(_TARGET_AIM[t]) for t in product.targets if t in _TARGET_AIM))
    if aims:
        out.append(_("The aim is to remove the %(aim)s that drive the disease.") % {"aim": _join(aims, _)})
    return out


def _phase(trial: Trial, _: Translate) -> list[str]:
    phases = set(trial.phases)
    if phases & {Phase.EARLY_PHASE1, Phase.PHASE0, Phase.PHASE1}:
        return [_("It is an early study. It checks if the treatment is safe and finds the best dose.")]
    if Phase.PHASE2 in phases:
        return [_("It checks how well the treatment works and how safe it is.")]
    return []


def _who(trial: Trial, _: Translate) -> list[str]:
    out: list[str] = []
    e = trial.eligibility
    if e is not None and e.minimum_age is not None and e.maximum_age is not None:
        out.append(
            _("People aged %(low)s to %(high)s can ask to join.")
            % {"low": f"{e.minimum_age.value:g}", "high": f"{e.maximum_age.value:g}"}
        )
    elif e is not None and e.minimum_age is not None:
        out.append(_("People aged %(low)s or older can ask to join.") % {"low": f"{e.minimum_age.value:g}"})
    title = " ".join([trial.brief_title, trial.official_title or ""]).lower()
    if "refractory" in title or "relapsed" in title:
        out.append(_("It is for people whose disease came back or did not get better with usual treatment."))
    if trial.enrollment is not None and trial.enrollment.count > 0:
        out.append(_("About %(n)s people will take part.") % {"n": trial.enrollment.count})
    out.append(_("The study doctor checks the full list of rules before anyone joins."))
    return out


def _steps(trial: Trial, _: Translate) -> list[str]:
    out: list[str] = []
    product = trial.products[0] if trial.products else None
    if product is not None and product.cell_source is CellSource.AUTOLOGOUS:
        out.append(_("First, some of your blood is taken to collect the cells. This takes a few hours."))
    if trial.conditioning is not None and trial.conditioning.agents:
        out.append(
            _("A few days before the cells, you get chemotherapy (%(agents)s) to make room for them.")
            % {"agents": _join([_(a) for a in trial.conditioning.agents], _)}
        )
    if product is not None and product.cell_type is not CellType.IN_VIVO_CAR:
        out.append(_("Then you get the cells once, through a drip into a vein."))
        out.append(_("You stay close to the study centre for the first weeks, so the team can watch for side effects."))
    if trial.dose_levels:
        low, high = trial.dose_levels[0], trial.dose_levels[-1]
        if len(trial.dose_levels) > 1 and low.unit is high.unit:
            unit = _("million cells per kg of body weight") if "kg" in low.unit.value else _("million cells")
            out.append(
                _("Each group gets a dose from %(low)s to %(high)s %(unit)s.")
                % {"low": f"{low.value:g}", "high": f"{high.value:g}", "unit": unit}
            )
    methods = set(trial.escalation.methods) if trial.escalation else set()
    if methods & {
        EscalationMethod.BOIN,
        EscalationMethod.BF_BOIN,
        EscalationMethod.THREE_PLUS_THREE,
        EscalationMethod.ACCELERATED_TITRATION,
        EscalationMethod.DOSE_INCREASING,
    }:
        out.append(_("The dose goes up only when the lower dose was safe for the people before you."))
    weeks = follow_up_weeks(trial)
    if weeks is not None and weeks >= 52:
        years = round(weeks / 52, 1)
        out.append(_("The study follows you for %(n)s years.") % {"n": f"{years:g}"})
    elif weeks is not None and weeks >= 4:
        out.append(_("The study follows you for %(n)s weeks.") % {"n": f"{round(weeks):g}"})
    return out


def _where(trial: Trial, _: Translate) -> list[str]:
    out: list[str] = []
    cities = list(dict.fromkeys(s.city for s in trial.sites if s.city))
    countries = trial.all_countries()
    if cities:
        shown = _join(cities[:3], _)
        if len(cities) > 3:
            out.append(_("It takes place in %(n)s cities, such as %(cities)s.") % {"n": len(cities), "cities": shown})
        else:
            out.append(_("It takes place in %(cities)s.") % {"cities": shown})
    elif countries:
        out.append(_("It takes place in %(countries)s.") % {"countries": _join([_(c) for c in countries[:3]], _)})
    if trial.overall_status in _STATUS:
        out.append(_(_STATUS[trial.overall_status]))
    return out


def _unknown(trial: Trial, _: Translate) -> list[str]:
    if trial.products:
        return [
            _("We do not yet know how well this treatment works, or all of its side effects."),
            _("The study is done to find out."),
        ]
    return [_("The study is done to learn what is not yet known.")]


def plain_summary(trial: Trial, gettext: Translate = _same) -> PlainSummary:
    """The plain-language summary of one trial; ``gettext`` translates it (English by default)."""
    _ = gettext
    parts = [
        (_("What is tested"), _what(trial, _) + _phase(trial, _)),
        (_("Who can join"), _who(trial, _)),
        (_("What happens"), _steps(trial, _)),
        (_("Where"), _where(trial, _)),
        (_("What is not yet known"), _unknown(trial, _)),
    ]
    date = trial.last_update.value.iso() if trial.last_update else None
    return PlainSummary([(heading, sentences) for heading, sentences in parts if sentences], date)
