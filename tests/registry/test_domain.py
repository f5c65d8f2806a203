"""The domain table (CAR trials in autoimmune disease): both CSV layouts, facets against a
hand-labelled sample, merging with the seed pages, ids, and hostile files."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

import pytest
from typer.testing import CliRunner

from remission.cli import app
from remission.registry import sources
from remission.registry.parsed import Parsed, Rejected
from remission.registry.sources import read_path
from remission.services.trials import Registry
from tests.conftest import PAGES, ROOT

DOMAIN = ROOT / "src" / "remission" / "data" / "domain"
LABELS = ROOT / "tests" / "fixtures" / "registry" / "domain_facets_labelled.csv"


@pytest.fixture(scope="module")
def domain_trials() -> dict[str, object]:
    return {o.trial.id: o.trial for o in read_path(DOMAIN / "trials.csv") if isinstance(o, Parsed)}


def test_every_domain_row_reads_and_sites_join(domain_trials: dict[str, object]) -> None:
    # SOURCES.md of the table: 315 studies, 1,271 sites over 286 of them.
    assert len(domain_trials) == 315
    with_sites = [t for t in domain_trials.values() if t.sites]  # type: ignore[attr-defined]
    assert len(with_sites) == 286
    assert sum(len(t.sites) for t in with_sites) == 1271  # type: ignore[attr-defined]


def _norm(kind: str) -> str:
    return kind.lower().replace(" ", "")


def test_facets_against_the_hand_labelled_sample(domain_trials: dict[str, object]) -> None:
    """Labels made by reading the registry text by hand, blind to the classifier (the file's
    header says how); the figures are in the README."""
    rows = list(csv.DictReader(line for line in LABELS.read_text().splitlines() if not line.startswith("#")))
    assert len(rows) == 80
    hits = {"diseases": 0, "targets": 0, "kinds": 0}
    totals = {"diseases": 0, "targets": 0, "kinds": 0}
    for r in rows:
        t = domain_trials[r["NCTId"]]
        want = {d for d in r["Diseases"].split("|") if d and not d.startswith("OTHER")}
        totals["diseases"] += 1
        hits["diseases"] += want == {d.value for d in t.diseases}  # type: ignore[attr-defined]
        targets = {x.upper() for x in r["Targets"].split("|") if x}
        if targets:
            totals["targets"] += 1
            hits["targets"] += targets == {x.upper() for x in t.targets}  # type: ignore[attr-defined]
        kinds = {_norm(k) for k in r["CellKind"].split("|") if k not in ("unknown", "other")}
        if kinds:
            totals["kinds"] += 1
            hits["kinds"] += kinds == {_norm(k) for k in t.cell_kinds}  # type: ignore[attr-defined]
    assert hits["diseases"] / totals["diseases"] >= 0.95
    assert hits["targets"] / totals["targets"] >= 0.85
    assert hits["kinds"] / totals["kinds"] >= 0.85


def test_a_disease_named_only_in_an_exclusion_is_not_a_facet() -> None:
    from remission.domain.trial import Criterion, Eligibility, Trial

    t = Trial(
        id="NCT00000001",
        brief_title="Penile prosthesis outcomes",
        eligibility=Eligibility(exclusion=[Criterion(text="Systemic lupus erythematosus", cohort="SLE")]),
    )
    assert t.diseases == []


WEBSITE_HEADER = (
    "NCT Number,Study Title,Study URL,Acronym,Study Status,Brief Summary,Study Results,Conditions,Interventions,"
    "Primary Outcome Measures,Secondary Outcome Measures,Other Outcome Measures,Sponsor,Collaborators,Sex,Age,"
    "Phases,Enrollment,Funder Type,Study Type,Study Design,Other IDs,Start Date,Primary Completion Date,"
    "Completion Date,First Posted,Results First Posted,Last Update Posted,Locations,Study Documents"
)


def test_the_website_download_layout(tmp_path: Path) -> None:
    row = [
        "NCT01234567", "CD19 CAR-T Cells for Refractory Lupus", "https://clinicaltrials.gov/study/NCT01234567", "",
        "RECRUITING", "A study.", "NO", "Systemic Lupus Erythematosus|Lupus Nephritis",
        "BIOLOGICAL: CD19 CAR-T cells|DRUG: Fludarabine", "DLT, 28 days", "", "", "Some Hospital", "",
        "ALL", "18 Years to 70 Years (ADULT, OLDER_ADULT)", "PHASE1|PHASE2", "24", "OTHER", "INTERVENTIONAL", "",
        "ORG-1", "2025-03-01", "2026-12", "2027-12", "2025-02-20", "", "2026-07-01",
        "Ruijin Hospital, Shanghai, Shanghai, 200025, China", "",
    ]  # fmt: skip
    path = tmp_path / "ctg-studies.csv"
    with path.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(WEBSITE_HEADER.split(","))
        w.writerow(row)
    (outcome,) = list(read_path(path))
    assert isinstance(outcome, Parsed)
    t = outcome.trial
    assert (t.id, t.overall_status, [p.value for p in t.phases]) == ("NCT01234567", "RECRUITING", ["PHASE1", "PHASE2"])
    assert t.eligibility is not None and str(t.eligibility.minimum_age) == "18 years"
    assert str(t.eligibility.maximum_age) == "70 years"
    assert [i.type for i in t.interventions] == ["BIOLOGICAL", "DRUG"]
    assert (t.sites[0].facility, t.sites[0].city, t.sites[0].zip, t.sites[0].country) == (
        "Ruijin Hospital", "Shanghai", "200025", "China",
    )  # fmt: skip
    assert {d.value for d in t.diseases} == {"SLE", "LN"}
    assert t.sources[0].location == "ctg-studies.csv"  # no folder


def test_a_row_without_a_valid_nct_id_is_one_reject(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("NCTId,BriefTitle\nNCT0123,Bad id\nNCT01234568,Good\n")
    outcomes = list(read_path(path))
    assert isinstance(outcomes[0], Rejected) and outcomes[0].problems[0].field == "NCTId"
    assert "NCT0123" not in str(outcomes[0].problems[0])  # the reason, not the value
    assert isinstance(outcomes[1], Parsed)
    website = tmp_path / "w.csv"
    website.write_text("NCT Number,Study Title\nNCT99,Bad id\n")
    (rejected,) = list(read_path(website))
    assert isinstance(rejected, Rejected) and rejected.problems[0].field == "NCT Number"


def test_a_gzip_bomb_is_refused_while_it_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "MAX_DOCUMENT_BYTES", 2**20)
    bomb = tmp_path / "bomb.json.gz"
    with gzip.open(bomb, "wb") as g:
        g.write(b"0" * (4 * 2**20))
    (outcome,) = list(read_path(bomb))
    assert isinstance(outcome, Rejected) and "expands past 1 MiB" in outcome.problems[0].reason


def test_seed_rows_merge_and_every_printed_id_resolves(tmp_path: Path) -> None:
    registry = Registry.from_url(f"sqlite:///{tmp_path / 'r.db'}")
    registry.upgrade()
    registry.import_paths([DOMAIN, PAGES])
    t = registry.get("NCT07049081")
    # The registry table (2026-08-22) says TERMINATED with 3 enrolled; the page said recruiting 42.
    assert t.overall_status == "TERMINATED" and t.provenance["overall_status"] == "ctgov-csv:NCT07049081"
    assert any(c.field == "enrollment" and c.other_value["count"] == 42 for c in t.conflicts)
    # The page's criteria survive the table's age-only eligibility.
    assert t.eligibility is not None and t.eligibility.inclusion
    assert t.provenance["eligibility.inclusion"].startswith("page:")
    for shown in ("LIANGZOU", "ZJU-CAR-T-SLE", "NCT07095075"):
        assert registry.resolve(shown) is not None, shown


def test_cli_escapes_markup_in_ids(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REMISSION_DB", str(tmp_path / "x.db"))
    CliRunner().invoke(app, ["db", "upgrade"])
    got = CliRunner().invoke(app, ["trials", "show", "[/x]"])
    assert (got.exit_code != 0 and got.exception is None) or isinstance(got.exception, SystemExit)
    assert "Traceback" not in got.output


def test_stemming_is_safe_from_many_threads() -> None:
    """The web server stems in its request threads at once (a shared stemmer once garbled words)."""
    from concurrent.futures import ThreadPoolExecutor

    from remission.registry.search_text import terms

    words = [f"relapsing{i} refractory{i} generalization{i} nationalities{i}" for i in range(3000)]
    alone = [terms(w) for w in words]
    with ThreadPoolExecutor(8) as pool:
        together = list(pool.map(terms, words))
    assert together == alone
