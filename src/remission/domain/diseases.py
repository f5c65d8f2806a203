"""Normalise disease names in free text to :class:`~remission.domain.vocab.DiseaseCode`.

Names follow the classification criteria the trials cite (2019 EULAR/ACR SLE, 2013 ACR/EULAR
SSc, 2022 ACR/EULAR AAV, 2017 EULAR/ACR IIM, 2016 ACR/EULAR Sjögren's ...), plus the lay and
translated names the seed pages use ("scleroderma", "dry syndrome", "granulomatous
polyangiitis"). Short abbreviations (SLE, SSc, DM, SS ...) are ambiguous in running text ("DM"
is also diabetes mellitus), so they are only read where the caller says the text is a name or a
heading (``abbreviations=True``).
"""

from __future__ import annotations

import re

from remission.domain.vocab import DiseaseCode

_D = DiseaseCode

# Full names: safe anywhere. Subtypes come before their parents so "lupus nephritis" is LN.
_NAMES: list[tuple[DiseaseCode, str]] = [
    (_D.LN, r"lupus\s+nephritis"),
    (_D.SLE, r"system(?:ic)?\s+lupus(?:\s+ery?thematos[iu]s)?|\blupus\s+ery?thematos[iu]s|\blupus\b"),
    (_D.SSC, r"systemic\s+sclerosis|(?:systemic\s+)?scleroderma"),
    (_D.EGPA, r"eosinophilic\s+granulomat\w*\s+(?:with\s+)?polyangiitis|churg[\s-]+strauss"),
    (_D.GPA, r"granulomat\w*\s+(?:with\s+)?polyangiitis|wegener"),
    (_D.MPA, r"microscopic\s+polyangiitis"),
    (
        _D.AAV,
        r"anca[\s-]*(?:associated\s+)?vasculitis|anti[\s-]*neutrophil\s+cytoplasmic\s+antibod\w*"
        r"(?:\s*\(anca\))?[\s-]*associated\s+vasculitis|anca[\s-]*aav",
    ),
    (_D.DM, r"dermatomyositis"),
    (_D.PM, r"polymyositis"),
    (_D.IMNM, r"(?:immune[\s-]*mediated\s+)?necroti[sz]ing\s+(?:autoimmune\s+)?myopathy"),
    (_D.ASYS, r"anti[\s-]*synthetase\s+syndrome"),
    (_D.IIM, r"(?:idiopathic\s+)?inflammatory\s+myopath\w*|\bmyositis\b"),
    (_D.SJS, r"sj[oö]gren|sjogren|sicca\s+syndrome|\bdry\s+syndrome"),
    (_D.RA, r"rheumatoid\s+arthritis"),
    (_D.TAK, r"takayasu(?:'s)?(?:\s+arteritis)?"),
    (_D.IGG4RD, r"igg4[\s-]*related(?:\s+disease)?|igg4[\s-]*rd\b"),
    (_D.MG, r"myastha?enia\s+gravis"),
    (_D.NMOSD, r"neuromyelitis\s+optica"),
    (_D.MS, r"multiple\s+sclerosis"),
    (_D.ITP, r"immune\s+thrombocytop\w*|idiopathic\s+thrombocytopenic\s+purpura"),
    (_D.AIHA, r"autoimmune\s+ha?emolytic\s+ana?emia"),
    (_D.IGAN, r"\biga\s+nephropathy"),
    (_D.MN, r"membranous\s+nephropathy"),
    (_D.APS, r"antiphospholipid\s+(?:antibody\s+)?syndrome"),
    (_D.CIDP, r"chronic\s+inflammatory\s+demyelinating\s+poly(?:radiculo)?neuropathy"),
    (_D.MOGAD, r"myelin\s+oligodendrocyte\s+glycoprotein\s+antibody"),
    (_D.AIE, r"autoimmune\s+encephalitis"),
    (_D.SPS, r"stiff[\s-]+person\s+syndrome"),
    (_D.PEMPHIGUS, r"\bpemphigus\b"),
]

# Abbreviations: only in names and headings (case-sensitive where case disambiguates).
_ABBREVIATIONS: list[tuple[DiseaseCode, str]] = [
    (_D.LN, r"\bLN\b"),
    (_D.SLE, r"\bSLE\b"),
    (_D.SSC, r"\bSSc\b|\bSSC\b"),
    (_D.EGPA, r"\bEGPA\b"),
    (_D.GPA, r"(?<!E)\bGPA\b"),
    (_D.MPA, r"\bMPA\b"),
    (_D.AAV, r"\bAAV\b|\bANCA\b"),
    (_D.DM, r"\bDM\b"),
    (_D.PM, r"\bPM\b"),
    (_D.IMNM, r"\bIMNM\b"),
    (_D.IIM, r"\bIIM\b"),
    (_D.SJS, r"\bp?SS\b|\bSjS\b|\bSJS\b"),
    (_D.RA, r"\bRA\b"),
    (_D.TAK, r"\bTAK\b"),
    (_D.IGG4RD, r"\bIgG4[\s-]?RD\b"),
    (_D.MG, r"\bMG\b"),
    (_D.NMOSD, r"\bNMOSD\b"),
    (_D.IGAN, r"\bIgAN\b"),
    (_D.APS, r"\bAPS\b"),
    (_D.CIDP, r"\bCIDP\b"),
    (_D.MOGAD, r"\bMOGAD\b"),
]

_UMBRELLA = re.compile(r"auto[\s-]?immune\s+(?:diseases?|disorders?|conditions?)", re.IGNORECASE)
_NAME_RES = [(code, re.compile(p, re.IGNORECASE)) for code, p in _NAMES]
_ABBR_RES = [(code, re.compile(p)) for code, p in _ABBREVIATIONS]


def find_disease_mentions(text: str, *, abbreviations: bool = False) -> list[tuple[DiseaseCode, str]]:
    """Each disease named in ``text`` with the words that named it, in order of first mention,
    one per code.

    A subtype's text does not also count as its parent ("lupus nephritis" is LN, not LN and
    SLE); an unspecified "autoimmune diseases" gives :attr:`DiseaseCode.AUTOIMMUNE` only when
    no specific disease is named.
    """
    hits: list[tuple[int, DiseaseCode, str]] = []
    taken: list[tuple[int, int]] = []
    patterns = _NAME_RES + (_ABBR_RES if abbreviations else [])
    for code, rx in patterns:
        for m in rx.finditer(text):
            span = m.span()
            if any(s < span[1] and span[0] < e for s, e in taken):
                continue  # inside a longer, more specific name already taken
            taken.append(span)
            hits.append((span[0], code, m.group(0)))
    out: list[tuple[DiseaseCode, str]] = []
    for _, code, words in sorted(hits, key=lambda h: h[0]):
        if all(code != c for c, _ in out):
            out.append((code, words))
    if not out:
        umbrella = _UMBRELLA.search(text)
        if umbrella:
            out.append((DiseaseCode.AUTOIMMUNE, umbrella.group(0)))
    return out


def find_diseases(text: str, *, abbreviations: bool = False) -> list[DiseaseCode]:
    """Every disease named in ``text``, in order of first mention, without duplicates."""
    return [code for code, _ in find_disease_mentions(text, abbreviations=abbreviations)]


# "For SLE patients, ...", "In the SSc cohort subjects ...": a criterion limited to one disease.
_FOR_COHORT = re.compile(
    r"^(?:for|in)\s+(?:the\s+)?(?P<who>[^,:]{2,60}?)\s*(?:patients|subjects|participants)\b", re.IGNORECASE
)
_COHORT_LABEL = re.compile(r"^(?P<who>[A-Za-z][A-Za-z0-9-]{1,9})\s*:\s+\S")


def cohort_prefix(text: str) -> tuple[DiseaseCode, int] | None:
    """The one disease a criterion's opening words limit it to ("For SLE patients, ...",
    "SSc: ..."), with where those words end; None when the opening names no single disease."""
    m = _FOR_COHORT.match(text) or _COHORT_LABEL.match(text)
    if not m:
        return None
    codes = find_diseases(m.group("who"), abbreviations=True)
    return (codes[0], m.end("who")) if len(codes) == 1 else None


def classify_condition(text: str) -> DiseaseCode | None:
    """The disease code of one condition name ("Systemic Lupus Erythematosus" → SLE), or None."""
    codes = find_diseases(text, abbreviations=True)
    return codes[0] if codes else None
