"""Read the cell product, its dose levels, the escalation design and the conditioning regimen
out of a record's text (titles, summaries, arms, interventions, design description).

Registries have no fields for these: NCT07095075 states its five dose levels, its accelerated
titration + BF-BOIN design and its Flu/Cy conditioning only in prose. The patterns here cover
how the autoimmune CAR trials write them ("25×10^6 cells/kg", "Dose level1:25 millions /kg",
"anti-CD19/BCMA U CAR-T", "chimeric antigen receptor (CAR) -NK cell"). Eligibility text is read
only for the target antigen ("Positive test for CD19 and/or BCMA"), never for drugs, because
criteria name drugs the patient must *not* have had.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from remission.domain.trial import Conditioning, DoseLevel, Escalation, Product, Trial
from remission.domain.vocab import CellSource, CellType, DoseUnit, EscalationMethod, InterventionType
from remission.registry.text import sentences, unescape_markdown

_CELL_TYPES: list[tuple[CellType, re.Pattern[str]]] = [
    (
        CellType.IN_VIVO_CAR,
        re.compile(
            r"\bin[\s-]?vivo\b[^.]{0,60}\bCAR\b|\bCAR[\s-]*T?\b[^.]{0,60}\bin[\s-]?vivo\b"
            r"|CAR[^.]{0,40}(?:lentiviral\s+vector|lipid\s+nanoparticle|\bLNP\b)",
            re.I,
        ),
    ),
    (CellType.CAR_GDT, re.compile(r"γδ|gamma[\s-]*delta", re.I)),
    (CellType.CAR_NKT, re.compile(r"\bCAR[\s-]*\)?\s*-?\s*NKT\b|chimeric antigen receptor[^.]{0,12}NKT", re.I)),
    (
        CellType.CAR_NK,
        re.compile(r"\bCAR[\s-]*\)?\s*-?\s*NK\b|chimeric antigen receptor\s*(?:\(CAR\))?\s*-?\s*NK\b", re.I),
    ),
    (
        CellType.CAR_TREG,
        re.compile(r"\bCAR[\s-]*Tregs?\b|chimeric antigen receptor[\s-]*(?:\(CAR\)\s*)?T[\s-]*reg", re.I),
    ),
    (CellType.CAAR_T, re.compile(r"\bCAAR[\s-]*T\b", re.I)),
    (
        CellType.CAR_T,
        re.compile(
            r"\bU?CAR[\s-]*\)?\s*-?\s*T\b(?!\s*-?\s*reg)|\bCAR-?T\b"
            r"|chimeric antigen receptor\s*(?:\(CAR\))?\s*-?\s*T\b"
            # WHO INN stems for cell therapies: "-cabtagene" is a CAR gene, "autoleucel" autologous cells.
            r"|\w+cabtagene\s+\w*leucel",
            re.I,
        ),
    ),
    (CellType.TCR_T, re.compile(r"\bTCR[\s-]*T\b", re.I)),
]

_ALLOGENEIC = re.compile(r"allogene|universal|\bU\s?CAR|off[\s-]the[\s-]shelf|donor[\s-]derived", re.I)
_AUTOLOGOUS = re.compile(r"autologous|autoleucel|patient'?s own|patients'? own", re.I)

#: Antigens CAR products target in autoimmune and haematological trials.
TARGET_ANTIGENS = (
    "CD19", "CD20", "CD22", "BCMA", "CD7", "CD70", "CD38", "CD5", "CD30", "CD33", "CD123",
    "BAFF-R", "GPRC5D", "CD79b", "NKG2D", "HER2", "GD2", "CLL1", "CD6", "FcRn", "DSG3", "MuSK",
)  # fmt: skip
_TARGET_RE = re.compile(r"(?<![A-Za-z0-9])(" + "|".join(re.escape(t) for t in TARGET_ANTIGENS) + r")(?![0-9])", re.I)
_POSITIVE_FOR = re.compile(r"positive\s+(?:test\s+)?(?:for\s+)?([^.;\n]{0,60})", re.I)
# Codes that look like product codes but name an antigen, a cytokine, a dose level or a virus.
_NOT_A_PRODUCT = re.compile(r"(?:CD|DL|IL|HLA|COVID|SARS|HIV|HBV|HCV|CMV|EBV|PD|CTLA)-?\d+[A-Z]?", re.I)
_PRODUCT_CODE = re.compile(r"\b([A-Z]{1,8}(?:-[A-Z]{0,8})?-?[A-Z]{0,4}\d{1,5}[A-Z0-9.]*)\b")

# "25×10^6 cells/kg", "1.0 x 10^6 CAR+ cells/kg", "2*10^5/kg", "25 millions /kg".
_DOSE_POWER = re.compile(
    r"(\d+(?:\.\d+)?)\s*(?:[×xX*]\s*)10\s*\^?\s*([5-9])\s*(?:CAR[+-]?\s*)?(?:T\s*|NK\s*)?(?:cells?)?\s*(/\s*kg)?",
)
_DOSE_MILLION = re.compile(r"(\d+(?:\.\d+)?)\s*millions?\s*(?:CAR[+-]?\s*)?(?:cells?)?\s*(/\s*kg)?", re.I)
_DOSE_LEVEL_LABEL = re.compile(r"dose\s*level\s*(\d)\s*[:：]?\s*$", re.I)

_ESCALATION: list[tuple[EscalationMethod, re.Pattern[str]]] = [
    (EscalationMethod.ACCELERATED_TITRATION, re.compile(r"accelerated[\s-]+titration", re.I)),
    (EscalationMethod.BF_BOIN, re.compile(r"\bBF[\s-]*BOIN\b|backfill\w*\s+(?:\w+\s+){0,3}BOIN", re.I)),
    (EscalationMethod.BOIN, re.compile(r"(?<!BF-)(?<!BF )\bBOIN\b", re.I)),
    (EscalationMethod.THREE_PLUS_THREE, re.compile(r"(?<![\d.])3\s*\+\s*3(?![\d])", re.I)),
    (EscalationMethod.MTPI, re.compile(r"\bm?TPI(?:-2)?\b|toxicity probability interval", re.I)),
    (EscalationMethod.CRM, re.compile(r"\bCRM\b|continual reassessment", re.I)),
]
_GENERIC_ESCALATION = re.compile(r"dose[\s-]+(?:increasing|escalation|escalating|exploration)", re.I)

_LYMPHODEPLETION = re.compile(r"lymphodeplet|lympho-deplet|conditioning|pre-?treatment", re.I)
_CONDITIONING_AGENTS = ("fludarabine", "cyclophosphamide", "bendamustine", "etoposide", "cytarabine")


def _narrative(trial: Trial) -> list[str]:
    """The texts that describe the treatment (not eligibility)."""
    texts: list[str | None] = [trial.brief_title, trial.official_title, trial.brief_summary, trial.detailed_description]
    if trial.design is not None:
        texts.append(trial.design.intervention_model_description)
    for arm in trial.arms:
        texts.extend([arm.label, arm.description, *arm.intervention_names])
    for iv in trial.interventions:
        texts.extend([iv.name, iv.description, *iv.other_names])
    return [unescape_markdown(t) for t in texts if t]


def cell_type_of(text: str) -> CellType | None:
    for cell_type, rx in _CELL_TYPES:
        if rx.search(text):
            return cell_type
    return None


def cell_source_of(texts: Iterable[str]) -> CellSource | None:
    joined = " ".join(texts)
    if _ALLOGENEIC.search(joined):
        return CellSource.ALLOGENEIC
    if _AUTOLOGOUS.search(joined):
        return CellSource.AUTOLOGOUS
    return None


_CD_HYPHEN = re.compile(r"\bCD-(\d)")


def targets_of(texts: Iterable[str]) -> list[str]:
    canonical = {t.upper(): t for t in TARGET_ANTIGENS}
    found: list[str] = []
    for text in texts:
        for m in _TARGET_RE.finditer(_CD_HYPHEN.sub(r"CD\1", text)):
            name = canonical[m.group(1).upper()]
            if name not in found:
                found.append(name)
    return found


def _required_antigens(trial: Trial) -> list[str]:
    """Antigens the eligibility requires positivity for ("Positive test for CD19 and/or BCMA")."""
    if trial.eligibility is None:
        return []
    spans = [m.group(1) for c in trial.eligibility.inclusion for m in _POSITIVE_FOR.finditer(c.text)]
    return targets_of(spans)


def extract_products(trial: Trial) -> list[Product]:
    """The engineered-cell products of a trial; empty when it tests none."""
    narrative = _narrative(trial)
    candidates: list[tuple[str, list[str]]] = []  # (name, texts describing it)
    for iv in trial.interventions:
        texts = [t for t in [iv.name, iv.description, *iv.other_names] if t]
        if iv.type in (
            None,
            InterventionType.BIOLOGICAL,
            InterventionType.GENETIC,
            InterventionType.DRUG,
            InterventionType.COMBINATION_PRODUCT,
        ) and cell_type_of(" ".join(texts)):
            candidates.append((iv.name, texts))
    if not candidates:
        joined = " ".join(narrative)
        if cell_type_of(joined) is None:
            return []
        candidates.append(("", narrative))
    products: list[Product] = []
    title_type = cell_type_of(trial.brief_title)
    conditions = [c.text for c in trial.conditions]
    for name, texts in candidates:
        joined = " ".join(texts)
        cell_type = cell_type_of(joined) or cell_type_of(" ".join(narrative))
        if cell_type is CellType.CAR_T and title_type not in (None, CellType.CAR_T):
            cell_type = title_type  # "CAR T-cell therapy" in a list of procedures; the title says CAR-Treg
        targets = targets_of(texts) or targets_of(narrative) or targets_of(conditions) or _required_antigens(trial)
        source = cell_source_of(texts) or cell_source_of(narrative)
        assumed = source is None and cell_type in (CellType.CAR_T, CellType.CAAR_T)
        products.append(
            Product(
                name=_product_name(name, narrative, cell_type, targets),
                cell_type=cell_type,
                cell_source=CellSource.AUTOLOGOUS if assumed else source,
                cell_source_assumed=assumed,
                targets=targets,
            )
        )
    return products


def _product_name(name: str, narrative: list[str], cell_type: CellType | None, targets: list[str]) -> str:
    """A product code ("LUCAR-DKS1") when the texts give one, else the intervention's name, else
    a description built from target and cell type ("CD19 CAR-T")."""
    for text in ([name] if name else []) + narrative:
        for m in _PRODUCT_CODE.finditer(text):
            code = m.group(1).rstrip(".")
            if not _TARGET_RE.fullmatch(code) and not _NOT_A_PRODUCT.fullmatch(code):
                return code
    if name:
        return name
    label = cell_type.value if cell_type else "cell therapy"
    return f"{'/'.join(targets)} {label}".strip()


def extract_dose_levels(trial: Trial) -> list[DoseLevel]:
    """Distinct cell doses stated in the narrative, ascending, numbered 1..n.

    Doses are converted to ×10^6 cells (per kg where stated): 2×10^5/kg is 0.2, 1×10^8 is 100.
    """
    doses: dict[tuple[float, DoseUnit], str] = {}
    for text in _narrative(trial):
        for m in _DOSE_POWER.finditer(text):
            value = float(m.group(1)) * 10 ** (int(m.group(2)) - 6)
            unit = DoseUnit.MILLION_CELLS_PER_KG if m.group(3) else DoseUnit.MILLION_CELLS
            doses.setdefault((round(value, 6), unit), m.group(0).strip())
        for m in _DOSE_MILLION.finditer(text):
            unit = DoseUnit.MILLION_CELLS_PER_KG if m.group(2) else DoseUnit.MILLION_CELLS
            doses.setdefault((round(float(m.group(1)), 6), unit), m.group(0).strip())
    if not doses:
        return []
    # Keep one unit: per-kg doses when the record states any.
    units = {u for _, u in doses}
    unit = DoseUnit.MILLION_CELLS_PER_KG if DoseUnit.MILLION_CELLS_PER_KG in units else DoseUnit.MILLION_CELLS
    values = sorted(v for v, u in doses if u == unit)
    return [DoseLevel(level=i, value=v, unit=unit, label=doses[(v, unit)]) for i, v in enumerate(values, 1)]


def extract_escalation(trial: Trial) -> Escalation | None:
    methods: list[EscalationMethod] = []
    described: list[str] = []
    for text in _narrative(trial):
        for sentence in sentences(text):
            hit = False
            for method, rx in _ESCALATION:
                if rx.search(sentence):
                    hit = True
                    if method not in methods:
                        methods.append(method)
            if hit and sentence not in described:
                described.append(sentence)
    if not methods:
        for text in _narrative(trial):
            m = _GENERIC_ESCALATION.search(text)
            if m:
                methods.append(EscalationMethod.DOSE_INCREASING)
                described.extend(s for s in sentences(text) if _GENERIC_ESCALATION.search(s))
                break
    if not methods:
        return None
    if EscalationMethod.BF_BOIN in methods and EscalationMethod.BOIN in methods:
        methods.remove(EscalationMethod.BOIN)  # BF-BOIN is BOIN with backfilling: one design, not two
    return Escalation(methods=methods, description=" ".join(described[:3]) or None)


def extract_conditioning(trial: Trial) -> Conditioning | None:
    agents: list[str] = []
    described: list[str] = []
    for text in _narrative(trial):
        for sentence in sentences(text):
            if not _LYMPHODEPLETION.search(sentence):
                continue
            if sentence not in described:
                described.append(sentence)
            for agent in _CONDITIONING_AGENTS:
                if agent in sentence.lower() and agent not in agents:
                    agents.append(agent)
    if not described:
        return None
    # Describe the regimen by the sentence that names its agents, when one does.
    naming = [s for s in described if any(a in s.lower() for a in agents)]
    return Conditioning(agents=sorted(agents), description=(naming or described)[0])


def enrich(trial: Trial) -> Trial:
    """Fill the product, dose, escalation and conditioning fields a source left empty."""
    update: dict[str, object] = {}
    if not trial.products:
        products = extract_products(trial)
        if products:
            update["products"] = products
    if trial.products or update.get("products"):
        if not trial.dose_levels:
            levels = extract_dose_levels(trial)
            if levels:
                update["dose_levels"] = levels
        if trial.escalation is None:
            update["escalation"] = extract_escalation(trial)
        if trial.conditioning is None:
            update["conditioning"] = extract_conditioning(trial)
    update = {k: v for k, v in update.items() if v is not None}
    return trial.model_copy(update=update) if update else trial
