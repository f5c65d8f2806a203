"""A dose-finding design report a statistician can attach to a protocol: the design, its
decision table, and simulated operating characteristics with plots, as one HTML file.

Figures are drawn with matplotlib's object API on an Agg canvas (no pyplot, no global state)
and returned as SVG text and PNG bytes; the HTML embeds the SVG, so the file stands alone.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from remission.dosefinding.protocol import DoseProtocol
from remission.dosefinding.rules import rulebook
from remission.dosefinding.simulation import OperatingCharacteristics

__all__ = ["Plot", "SimulatedScenario", "oc_plot", "render"]


@dataclass(frozen=True)
class SimulatedScenario:
    name: str
    truth: list[float]
    result: OperatingCharacteristics
    seed: int


@dataclass(frozen=True)
class Plot:
    name: str
    svg: str
    png: bytes


def oc_plot(name: str, labels: Sequence[str], scenario: SimulatedScenario) -> Plot:
    """Selection % and patients (with DLTs) per dose, side by side."""
    fig = Figure(figsize=(8, 3.2), dpi=110)
    FigureCanvasAgg(fig)
    left, right = fig.subplots(1, 2)
    x = range(len(labels))
    left.bar(x, scenario.result.selection_percent, color="#3b6ea8")
    left.set_title("% selected as MTD")
    left.set_ylim(0, 100)
    right.bar(x, scenario.result.patients_per_dose, color="#9db8d9", label="patients")
    right.bar(x, scenario.result.dlt_per_dose, color="#c0392b", label="DLTs")
    right.set_title("patients and DLTs per dose")
    right.legend(frameon=False, fontsize=8)
    for ax in (left, right):
        ax.set_xticks(list(x), [f"{lab}\n(p={p:g})" for lab, p in zip(labels, scenario.truth, strict=True)], fontsize=8)
        ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    svg, png = io.StringIO(), io.BytesIO()
    fig.savefig(svg, format="svg")
    fig.savefig(png, format="png")
    return Plot(name, svg.getvalue(), png.getvalue())


def _table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    head = "".join(f"<th>{escape(str(h))}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render(protocol: DoseProtocol, scenarios: Sequence[SimulatedScenario], generated: str) -> tuple[str, list[Plot]]:
    """The report as HTML, and its plots (to be saved as PNG and SVG beside it)."""
    trial, design = protocol.trial, protocol.design
    table_ = design.table()
    lambda_e, lambda_d = table_.lambdas
    unit = trial.dose_unit
    doses = _table(["level", f"dose ({unit})" if unit else "dose"], [[j + 1, d] for j, d in enumerate(trial.doses)])

    def mark(field: str, value: object) -> str:
        return f"{value} (assumed: not published by the trial)" if field in design.assumed else str(value)

    parameters: list[list[object]] = [
        ["escalation", design.escalation], ["target DLT rate φ", mark("target", design.target)],
        ["φ1 / φ2", f"{design.safe:.3g} / {design.toxic:.3g}"], ["λe / λd", f"{lambda_e:.4f} / {lambda_d:.4f}"],
        ["cohort size", design.cohort_size], ["escalation cohorts", design.cohorts],
        ["maximum sample size", "-" if design.max_n is None else mark("max_n", design.max_n)],
        ["n_earlystop", "-" if design.n_earlystop is None else mark("n_earlystop", design.n_earlystop)],
        ["elimination cut-off", design.cutoff_eli], ["extra-safe stopping", "yes" if design.extrasafe else "no"],
        ["starting dose", design.start_dose], ["DLT window", mark("dlt_window_days", f"{design.dlt_window_days} days")],
    ]  # fmt: skip
    if design.backfill is not None:
        parameters.append(["backfill cap", mark("backfill.cap", design.backfill.cap)])
    rules = "".join(f"<li>{escape(line)}</li>" for line in rulebook(design, len(trial.doses)).describe())
    upto = design.table_rows()
    table = _table(["n at dose", "escalate if DLT ≤", "de-escalate if DLT ≥", "eliminate if DLT ≥"],
                   [[r.n, r.escalate_if_dlt_le, r.deescalate_if_dlt_ge, "-" if r.eliminate_if_dlt_ge is None
                     else r.eliminate_if_dlt_ge] for r in table_.rows(upto)])  # fmt: skip
    plots: list[Plot] = []
    sections = []
    for i, s in enumerate(scenarios, start=1):
        plot = oc_plot(f"scenario{i}", trial.doses, s)
        plots.append(plot)
        r = s.result
        numbers = _table(["dose", "true DLT rate", "% selected", "patients", "DLTs"],
                         [[d, p, f"{sel:.1f}", f"{n:.2f}", f"{t:.2f}"] for d, p, sel, n, t in
                          zip(trial.doses, s.truth, r.selection_percent, r.patients_per_dose, r.dlt_per_dose,
                              strict=True)])  # fmt: skip
        duration = "" if r.duration_months is None else f"; mean duration {r.duration_months:.1f} months"
        sections.append(
            f"<h3>{escape(s.name)}</h3>{numbers}<p>No MTD in {r.no_mtd_percent:.1f}% of trials (stopped for "
            f"safety {r.safety_stop_percent:.1f}%); mean sample size {r.mean_sample_size:.1f}; "
            f"mean DLTs {r.mean_dlts:.1f}{duration}. {r.trials} simulated trials, seed {s.seed}.</p>"
            f"<figure>{_inline(plot.svg)}</figure>"
        )
    html = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(trial.id)}: dose-finding design</title>
<style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;line-height:1.4}}
table{{border-collapse:collapse;margin:0.5rem 0}}td,th{{border:1px solid #ccc;padding:0.2rem 0.5rem;text-align:right}}
th{{background:#f3f5f8}}figure{{margin:0}}</style></head><body>
<h1>{escape(trial.id)}: dose-finding design</h1><p>{escape(trial.title)}</p>
<h2>Doses</h2>{doses}
<h2>Design</h2>{_table(["parameter", "value"], parameters)}<h3>The rules, outermost first</h3><ul>{rules}</ul>
<h2>Decision table</h2><p>For the number of patients treated at the current dose (BOIN; Liu &amp; Yuan 2015).
Backfill patients count at their dose.</p>{table}
<h2>Operating characteristics</h2>{"".join(sections) or "<p>No scenario was simulated.</p>"}
<h2>References</h2><ul><li>Liu S, Yuan Y. J R Stat Soc C 2015;64:507-523 (BOIN).</li>
<li>Zhao Y, Yuan Y, Korn EL, Freidlin B. Clin Cancer Res 2024;30:673-679 (BF-BOIN).</li>
<li>Simon R et al. J Natl Cancer Inst 1997;89:1138-1147 (accelerated titration).</li></ul>
<p><small>Generated by Remission on {escape(generated)}.</small></p></body></html>
"""
    return html, plots


def _inline(svg: str) -> str:
    """The SVG document without its XML prologue, ready to sit inside HTML."""
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg
