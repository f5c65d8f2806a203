"""ClinicalTrials.gov v2 records mapped field by field; values checked against the raw JSON."""

import json

import pytest

from remission.domain.vocab import DatePrecision
from remission.registry.ctgov import parse_study
from remission.registry.errors import RecordRejected
from tests.conftest import CTGOV


def records() -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for line in CTGOV.read_text().splitlines()[:300]]


def test_fields_match_the_record() -> None:
    for raw in records():
        ps = raw["protocolSection"]
        t = parse_study(raw, file="studies.jsonl", record="x")
        assert t.id == ps["identificationModule"]["nctId"]
        assert t.brief_title == ps["identificationModule"]["briefTitle"].strip()
        assert (t.overall_status.value if t.overall_status else None) == ps["statusModule"]["overallStatus"]
        start = ps["statusModule"].get("startDateStruct", {}).get("date")
        if start:
            assert t.start_date is not None and t.start_date.value.iso() == start
            assert t.start_date.value.precision == (DatePrecision.MONTH if len(start) == 7 else DatePrecision.DAY)
        locations = ps.get("contactsLocationsModule", {}).get("locations", [])
        assert len(t.sites) == len(locations)
        assert t.sources[0].registry and t.sources[0].id == f"ctgov-v2:{t.id}"


def test_wrong_type_names_field() -> None:
    with pytest.raises(RecordRejected) as info:
        parse_study({"protocolSection": {"identificationModule": {"nctId": 12345}}}, file="bad.json", record="1")
    fields = {p.field for p in info.value.problems}
    assert "protocolSection.identificationModule.nctId" in fields
    assert "protocolSection.identificationModule.briefTitle" in fields
    assert all(p.file == "bad.json" for p in info.value.problems)


def test_values_outside_vocabulary_are_kept_not_dropped() -> None:
    raw = next(r for r in map(json.loads, CTGOV.read_text().splitlines()) if
               r["protocolSection"]["identificationModule"]["nctId"] == "NCT000001")
    t = parse_study(raw, file="studies.jsonl", record="1")
    assert t.unmapped == {"phases": ["PHASE5"]}
    assert [p.value for p in t.phases] == ["PHASE1", "PHASE2", "PHASE3", "PHASE4"]
