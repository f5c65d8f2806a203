"""Import, idempotency, bad input, search and related trials: on SQLite and on PostgreSQL."""

import json
from pathlib import Path

import pytest

from remission.domain.vocab import Sex
from remission.services.trials import Filters, Registry
from tests.conftest import CTGOV, PAGES, SEED, ctgov_sample


def snapshot(registry: Registry) -> list[str]:
    return [s.model_dump_json() for s in registry.search(None, Filters(), limit=100000).items]


sample = ctgov_sample


def test_import_is_idempotent_and_merges(registry: Registry, tmp_path: Path) -> None:
    report = registry.import_paths([PAGES, sample(tmp_path)])
    assert (report.added, report.rejected) == (155, [])
    before = snapshot(registry)
    again = registry.import_paths([PAGES, sample(tmp_path)])
    assert (again.added, again.updated, again.unchanged) == (0, 0, 155)
    assert snapshot(registry) == before
    # A registry record of a seed trial merges with its page; the registry wins a conflict.
    page_trial = registry.get("NCT07095075")
    record = json.loads(CTGOV.read_text().splitlines()[0])
    ident = record["protocolSection"]["identificationModule"]
    ident["nctId"] = "NCT07095075"
    ident["briefTitle"] = page_trial.brief_title
    record["protocolSection"]["statusModule"]["overallStatus"] = "NOT_YET_RECRUITING"
    (tmp_path / "reg.json").write_text(json.dumps(record))
    merged_report = registry.import_paths([tmp_path / "reg.json"])
    assert merged_report.updated == 1
    merged = registry.get("NCT07095075")
    assert merged.overall_status is not None and merged.overall_status.value == "NOT_YET_RECRUITING"
    assert merged.provenance["overall_status"] == "ctgov-v2:NCT07095075"
    assert merged.provenance["dose_levels"] == "page:meddatax:NCT07095075"
    assert any(c.field == "overall_status" and c.other_value == "RECRUITING" for c in merged.conflicts)


def test_bad_input_is_refused_and_changes_nothing(registry: Registry, tmp_path: Path) -> None:
    registry.import_paths([PAGES])
    before = snapshot(registry)
    first = CTGOV.read_text().splitlines()[0]
    (tmp_path / "truncated.json").write_text(first[:5000])
    (tmp_path / "empty.json").write_text("")
    (tmp_path / "wrongtype.json").write_text(json.dumps({"protocolSection": {"identificationModule": {"nctId": 1}}}))
    (tmp_path / "odd.txt").write_text("Some Trial Of Something Important\nStatus: Recruiting\n")
    (tmp_path / "notastudy.json").write_text(json.dumps({"hello": "world"}))
    for name, words in [("truncated.json", "invalid JSON"), ("empty.json", "empty file"),
                        ("wrongtype.json", "nctId"), ("odd.txt", "unknown page layout"),
                        ("notastudy.json", "not a ClinicalTrials.gov API v2 study")]:
        report = registry.import_paths([tmp_path / name])
        assert report.rejected, name
        assert words in str(report.rejected[0]) and name in report.rejected[0].file
    assert snapshot(registry) == before
    # A JSON-lines file with one bad line: the others import, the bad one is reported by line.
    lines = CTGOV.read_text().splitlines()[:3]
    (tmp_path / "mixed.jsonl").write_text("\n".join([lines[0], lines[1][:100], lines[2]]))
    report = registry.import_paths([tmp_path / "mixed.jsonl"])
    assert report.added == 2 and [p.record for p in report.rejected] == ["line 2"]


def test_search_filters_and_related(registry: Registry, tmp_path: Path) -> None:
    registry.import_paths([PAGES, sample(tmp_path)])
    hits = registry.search("lupus")
    assert {"NCT07095075", "NCT07246096", "NCT07049081"} <= {s.id for s in hits.items}
    car_nk = registry.search(None, Filters(cell_types=["CAR-NK"]))
    assert [s.id for s in car_nk.items] == ["NCT07095075"]
    bcma = registry.search("lupus", Filters(targets=["BCMA"], statuses=["RECRUITING"]))
    assert {s.id for s in bcma.items} == {"NCT07095075", "NCT07246096"}
    # A 10-year-old with SLE: the Zhejiang trial (from 5 years) fits; the LUCAR-G79 article states no
    # age limit but enrols "adult participants" (18 and over), so it is ruled out like the 18-70 trials.
    child = registry.search(None, Filters(diseases=["SLE"], age_days=10 * 365.25, sex=Sex.FEMALE))
    assert {s.brief_title[:26] for s in child.items if s.cell_types} == {"Study of Ultra-Fast Autolo"}
    # ... and a 70-year-old fits it (adults, no upper limit stated) but not the 18-70 ones.
    older = registry.search(None, Filters(diseases=["SLE"], age_days=71 * 365.25))
    assert "CAR-T Cell Therapy Clinica" in {s.brief_title[:26] for s in older.items if s.cell_types}
    early = registry.search(None, Filters(phases=["EARLY_PHASE1", "PHASE0"], diseases=["AAV"]))
    assert {s.id for s in early.items} == {"NCT07095075", "NCT07246096"}
    china = registry.search(None, Filters(countries=["china"], cities=["Hangzhou"]))
    assert china.items and all("Hangzhou" in s.cities for s in china.items)
    assert any(s.brief_title.startswith("Study of Ultra-Fast") for s in china.items)
    related = registry.related("NCT07095075", 3)
    assert related[0].id == "NCT07246096"  # same diseases, same CD19/BCMA targets
    assert any("target: BCMA, CD19" in why for why in related[0].why)
    page = registry.search("trial", limit=5, offset=5)
    assert page.total > 10 and len(page.items) == 5


@pytest.mark.postgres
def test_same_top_results_on_both_engines(tmp_path: Path) -> None:
    from tests.conftest import fresh_registry, postgres_url

    postgres_url()
    sqlite, pg = fresh_registry("sqlite", tmp_path), fresh_registry("postgresql", tmp_path)
    for reg in (sqlite, pg):
        reg.import_paths([PAGES, sample(tmp_path, 400)])
    for query in ["lupus", "CAR-T", "cancer", "asthma", "prostate", "lumbar disc herniation", "BCMA",
                  "vasculitis", "digital therapeutic", "lung"]:
        a = [s.id for s in sqlite.search(query, limit=10).items]
        b = [s.id for s in pg.search(query, limit=10).items]
        assert set(a) | set(b), query
        assert a == b, (query, a, b)
        assert sqlite.search(query).total == pg.search(query).total, query


def test_seed_pages_are_all_imported(registry: Registry) -> None:
    report = registry.import_paths(list(SEED.values()))
    assert report.added == 5 and not report.rejected


def test_criteria_are_stored_at_import_and_made_again_when_stale(registry: Registry, tmp_path: Path) -> None:
    """Each trial's extracted criteria are stored with the fingerprint of the code that made
    them; screening reads them, and criteria made by other code are neither used nor kept."""
    from sqlalchemy import select, update

    from remission.criteria.protocol import ProtocolSpec
    from remission.matching.registry_protocol import extractor_fingerprint, spec_for_trial
    from remission.store.tables import TrialCriteriaRow

    registry.import_paths([sample(tmp_path, 12)])
    ids = [s.id for s in registry.search(None, Filters(), limit=100).items]
    with registry.sessions() as session:
        rows = {r.trial_id: r for r in session.scalars(select(TrialCriteriaRow))}
    assert set(rows) == set(ids) and len(ids) == 12
    assert {r.extractor for r in rows.values()} == {extractor_fingerprint()}
    # The stored document is exactly what the extractor makes from the stored record.
    for trial_id, row in rows.items():
        assert ProtocolSpec.model_validate_json(row.protocol) == spec_for_trial(registry.get(trial_id))
    # A row made by other code: screening makes the criteria again from the record instead.
    victim = ids[0]
    wrong = ProtocolSpec(id=victim, title="stale", registry_ids=[victim]).model_dump_json()
    with registry.sessions.begin() as session:
        session.execute(
            update(TrialCriteriaRow).where(TrialCriteriaRow.trial_id == victim).values(extractor="older", protocol=wrong)
        )
    [spec] = registry.criteria([victim])
    assert spec.title != "stale" and spec == spec_for_trial(registry.get(victim))
    # The next import (even of nothing new) replaces it, and only it.
    again = registry.import_paths([sample(tmp_path, 12)])
    assert again.unchanged == 12
    with registry.sessions() as session:
        row = session.get(TrialCriteriaRow, victim)
        assert row is not None and row.extractor == extractor_fingerprint() and "stale" not in row.protocol
    assert registry.refresh_criteria() == 0


def test_a_word_in_the_title_outranks_the_same_word_only_in_the_criteria(tmp_path: Path) -> None:
    """The ranking tiers: BM25F alone would put A first (lupus ten times in its criteria, weight 1
    each, tf~ ≈ 10: 10/11.2 = 0.89 of idf) over B (lupus once in its title, weight 5, tf~ ≈ 5:
    5/6.2 = 0.81 of idf); the title match must win."""
    def record(nct: str, title: str, criteria: str) -> str:
        return json.dumps({"protocolSection": {
            "identificationModule": {"nctId": nct, "briefTitle": title},
            "eligibilityModule": {"eligibilityCriteria": criteria}}})  # fmt: skip

    lines = [
        record("NCT09000001", "Penile prosthesis outcomes",
               "Exclusion Criteria:\n" + "\n".join(f"* history of lupus type {i}" for i in range(10))),
        record("NCT09000002", "CAR-T cells for lupus", "Inclusion Criteria:\n* adults"),
    ]
    source = tmp_path / "tiers.jsonl"
    source.write_text("\n".join(lines) + "\n")
    registry = Registry.from_url(f"sqlite:///{tmp_path / 'tiers.db'}")
    registry.upgrade()
    assert not registry.import_paths([source]).rejected
    assert [t.id for t in registry.search("lupus").items] == ["NCT09000002", "NCT09000001"]
