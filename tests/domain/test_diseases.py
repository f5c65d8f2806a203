import pytest

from remission.domain.diseases import classify_condition, find_diseases
from remission.domain.vocab import DiseaseCode as D


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Systemic Lupus Erythematosus", D.SLE),
        ("Lupus Nephritis", D.LN),
        ("Anti-Neutrophil Cytoplasmic Antibody-Associated Vasculitis", D.AAV),
        ("Eosinophilic granulomatous polyangiitis", D.EGPA),
        ("Granulomatosis with Polyangiitis", D.GPA),
        ("Relapsed/Refractory dry syndrome", D.SJS),
        ("Primary Sjögren Syndrome", D.SJS),
        ("Dermatomyositis", D.DM),
        ("Takayasu Arteritis", D.TAK),
        ("IgG4-Related Disease", D.IGG4RD),
        ("Relapsed/Refractory Autoimmune Diseases", D.AUTOIMMUNE),
        ("Multiple Sclerosis", D.MS),
        ("Non-small Cell Lung Cancer", None),
    ],
)
def test_condition_names(text: str, code: D | None) -> None:
    assert classify_condition(text) is code


def test_abbreviations_only_where_asked() -> None:
    text = "patients with DM and SLE"
    assert find_diseases(text) == []  # "DM" in running text may be diabetes
    assert find_diseases(text, abbreviations=True) == [D.DM, D.SLE]


def test_multiple_sclerosis_is_not_systemic_sclerosis() -> None:
    assert find_diseases("multiple sclerosis and systemic sclerosis") == [D.MS, D.SSC]
