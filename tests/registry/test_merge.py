from remission.domain.trial import SourceInfo, Trial
from remission.domain.values import PartialDate
from remission.registry.merge import merge


def rec(source: str, registry: bool = False, retrieved: str | None = None, **fields: object) -> Trial:
    info = SourceInfo(id=source, kind=source.split(":", maxsplit=1)[0], location="f", registry=registry,
                      retrieved=PartialDate.model_validate(retrieved) if retrieved else None)
    return Trial.model_validate({"id": "NCT07095075", "nct_id": "NCT07095075", "brief_title": "T", **fields,
                                 "sources": [info.model_dump()]})


def test_registry_wins_and_loser_is_kept_as_conflict() -> None:
    page = rec("page:a", retrieved="2025-12-10", overall_status="RECRUITING", enrollment={"count": 36})
    registry = rec("ctgov-v2:x", registry=True, retrieved="2025-08-01", overall_status="NOT_YET_RECRUITING",
                   enrollment={"count": 36, "type": "ESTIMATED"})
    m = merge([page, registry])
    assert m.overall_status is not None and m.overall_status.value == "NOT_YET_RECRUITING"
    assert m.provenance["overall_status"] == "ctgov-v2:x"
    [conflict] = m.conflicts  # enrollment agrees on the count both state
    assert (conflict.field, conflict.kept_value, conflict.other_value) == ("overall_status", "NOT_YET_RECRUITING",
                                                                         "RECRUITING")


def test_newer_page_wins_between_pages_and_fields_fill_from_any_source() -> None:
    old = rec("page:old", retrieved="2025-07-01", overall_status="NOT_YET_RECRUITING", acronym="G79")
    new = rec("page:new", retrieved="2025-12-10", overall_status="RECRUITING")
    m = merge([old, new])
    assert m.overall_status is not None and m.overall_status.value == "RECRUITING"
    assert m.provenance == {"nct_id": "page:new", "brief_title": "page:new", "overall_status": "page:new",
                            "acronym": "page:old"}
    assert [s.id for s in m.sources] == ["page:new", "page:old"]
