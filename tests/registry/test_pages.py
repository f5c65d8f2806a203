"""Each seed page read by its layout; expected values are read off the page text by hand."""

import pytest

from remission.domain.vocab import CellSource, CellType, DiseaseCode, EscalationMethod, OverallStatus, Phase, Sex
from remission.registry.errors import RecordRejected
from remission.registry.pages import parse_page
from remission.registry.products import enrich
from tests.conftest import SEED


def page(key: str):  # type: ignore[no-untyped-def]
    path = SEED[key]
    trial, result = parse_page(path.read_text(), file=path.name)
    return enrich(trial), result


def test_lucar_dks1_registry_mirror_page() -> None:
    t, result = page("NCT07095075")
    assert result.layout == "meddatax"
    assert t.id == "NCT07095075"
    assert t.org_study_id == "LB2405-0001"
    assert t.overall_status is OverallStatus.RECRUITING
    assert t.phases == [Phase.EARLY_PHASE1]
    assert t.enrollment is not None and t.enrollment.count == 36
    assert t.start_date is not None and t.start_date.value.iso() == "2025-10-14"
    # "Dose Level1 (25×10^6 cells/kg) ... 100×10^6, 200×10^6, and 400×10^6 cells/kg"
    assert [(d.level, d.value) for d in t.dose_levels] == [(1, 25), (2, 50), (3, 100), (4, 200), (5, 400)]
    assert {d.unit.value for d in t.dose_levels} == {"x10^6 cells/kg"}
    assert t.escalation is not None
    assert t.escalation.methods == [EscalationMethod.ACCELERATED_TITRATION, EscalationMethod.BF_BOIN]
    assert t.conditioning is not None and t.conditioning.regimen == "Flu/Cy"
    [product] = t.products
    assert (product.name, product.cell_type, product.targets) == ("LUCAR-DKS1", CellType.CAR_NK, ["CD19", "BCMA"])
    assert [(s.city, s.state, s.status) for s in t.sites] == [
        ("Bengbu", "Anhui", OverallStatus.NOT_YET_RECRUITING),
        ("Hefei", "Anhui", OverallStatus.RECRUITING),
        ("Nanjing", "Jiangsu", OverallStatus.RECRUITING),
        ("Suzhou", "Jiangsu", OverallStatus.RECRUITING),
        ("Wenzhou", "Zhejiang", OverallStatus.NOT_YET_RECRUITING),
    ]
    assert [c.name for c in t.sites[4].contacts] == ["Li Sun", "Songfu Jiang"]
    assert [(c.name, c.phone) for c in t.central_contacts] == [("Wenbo Hu", "13581888439"),
                                                               ("Liyuan Yu", "18618406418")]
    assert t.investigators[0].name == "Wenfeng Tan"
    assert t.sponsor is not None and t.sponsor.agency_class is not None and t.sponsor.agency_class.value == "INDUSTRY"
    e = t.eligibility
    assert e is not None
    assert (e.minimum_age and e.minimum_age.value, e.maximum_age and e.maximum_age.value) == (18, 70)
    assert e.healthy_volunteers is False
    assert e.cohorts == [DiseaseCode.SLE, DiseaseCode.AAV, DiseaseCode.SSC, DiseaseCode.IIM, DiseaseCode.SJS]
    assert "Positive test for CD19 and/ or BCMA" in [c.text for c in e.inclusion]
    # "Fulfill relapsed/refractory IIM conditions. SjS:" — the SjS heading glued to an item is split off
    assert [c.text for c in e.inclusion if c.cohort is DiseaseCode.IIM][-1] == "Fulfill relapsed/refractory IIM conditions."
    assert len(e.exclusion) == 6
    assert t.last_update is not None and t.last_update.value.iso() == "2025-12-10"


def test_universal_car_t_listing() -> None:
    t, result = page("NCT07246096")
    assert result.layout == "trialx"
    assert t.phases == [Phase.PHASE0]
    assert t.overall_status is OverallStatus.RECRUITING
    assert t.enrollment is not None and t.enrollment.count == 60
    [product] = t.products
    assert product.cell_source is CellSource.ALLOGENEIC and product.targets == ["CD19", "BCMA"]
    assert t.sponsor is not None and t.sponsor.name == "Changhai Hospital"
    e = t.eligibility
    assert e is not None and e.sex is Sex.ALL
    assert {c.value for c in e.cohorts} == {"SLE", "SSC", "SJS", "RA", "AAV"}
    # "...LVEF ≥50%; 3. Female subjects..." : the run-in item is its own criterion
    assert any(c.text.startswith("Female subjects of childbearing potential") for c in e.inclusion)
    assert len([c for c in e.exclusion if c.cohort is None]) == 14  # 13 numbered + the preamble sentence


def test_lucar_g79_article_page() -> None:
    t, result = page("NCT07049081")
    assert result.layout == "ichgcp"
    assert t.products[0].name == "LUCAR-G79" and t.products[0].cell_type is CellType.CAR_T
    assert t.enrollment is not None and t.enrollment.count == 42
    assert [c.code for c in t.conditions] == [DiseaseCode.SLE, DiseaseCode.SSC, DiseaseCode.AAV, DiseaseCode.IIM,
                                             DiseaseCode.TAK, DiseaseCode.IGG4RD]
    assert len(t.secondary_outcomes) == 6 and {o.time_frame for o in t.secondary_outcomes} == {"52 weeks"}
    assert "overall_status" in result.missing


def test_pages_without_nct_id_get_stable_local_ids() -> None:
    liangzou, _r1 = page("LIANGZOU")
    zju, _r2 = page("ZJU")
    assert liangzou.id.startswith("LOCAL-") and zju.id.startswith("LOCAL-")
    assert page("LIANGZOU")[0].id == liangzou.id  # stable across imports
    assert liangzou.overall_status is OverallStatus.NOT_YET_RECRUITING
    assert liangzou.sponsor is not None and liangzou.sponsor.name == "LIANGZOU"
    assert liangzou.eligibility is not None and liangzou.eligibility.minimum_age is not None
    assert liangzou.eligibility.minimum_age.value == 18
    # "3. ... meets the following criteria: 1. For SLE patients, SLEDAI ≥ 8 points; ..." nested numbering
    numbered = {c.number: c for c in liangzou.eligibility.inclusion}
    assert numbered["3.1"].cohort is DiseaseCode.SLE and "SLEDAI ≥ 8" in numbered["3.1"].text
    assert numbered["3.4"].cohort is DiseaseCode.DM
    assert numbered["4"].text.startswith("Eastern Cooperative Oncology Group")
    assert zju.eligibility is not None and zju.eligibility.minimum_age is not None
    assert (zju.eligibility.minimum_age.value, zju.eligibility.minimum_age.unit.value) == (5, "years")
    assert zju.start_date is not None and zju.start_date.value.iso() == "2025-11"
    assert zju.start_date.value.precision.value == "month"
    assert zju.sites[0].city == "Hangzhou" and [c.email for c in zju.sites[0].contacts] == [
        "maojh88@zju.edu.cn", "hexue1119@163.com"]
    assert zju.products[0].targets == ["CD19"] and zju.products[0].cell_source is CellSource.AUTOLOGOUS
    assert zju.escalation is not None and zju.escalation.methods == [EscalationMethod.DOSE_INCREASING]


def test_unknown_layout_is_refused_with_what_was_found() -> None:
    text = "Some Trial Of Something Important\nStatus: Recruiting\nPhase 2\nNCT01234567\n"
    with pytest.raises(RecordRejected) as info:
        parse_page(text, file="odd.txt")
    message = str(info.value)
    assert "unknown page layout" in message and "odd.txt" in message and "overall_status" in message
    trial, result = parse_page(text, file="odd.txt", accept_fallback=True)
    assert trial.id == "NCT01234567" and result.layout == "generic"
    assert trial.overall_status is OverallStatus.RECRUITING


def test_html_page_reads_as_text() -> None:
    html = "<html><body>" + "".join(f"<p>{line}</p>" for line in SEED["ZJU"].read_text().splitlines()) + "</body></html>"
    trial, result = parse_page(html, file="zju.html")
    assert result.layout == "medifind" and trial.brief_title.startswith("Study of Ultra-Fast")
