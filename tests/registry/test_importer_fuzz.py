"""Property-based fuzzing of every importer (Hypothesis): whatever a file holds, no exception
escapes the import, each bad record is a reject in the report, and a rejected record leaves
nothing in the store."""

from __future__ import annotations

import json
import string
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from remission.services.trials import Registry
from tests.conftest import CTGOV

GOOD = CTGOV.read_text().splitlines()[0]
GOOD_ID = json.loads(GOOD)["protocolSection"]["identificationModule"]["nctId"]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)
# A record that looks like a registry record where it matters, with anything inside.
shaped = st.fixed_dictionaries({"protocolSection": st.dictionaries(
    st.sampled_from(["identificationModule", "statusModule", "conditionsModule", "eligibilityModule",
                     "contactsLocationsModule", "designModule"]),
    json_values, max_size=4)})  # fmt: skip
cells = st.text(alphabet=string.printable, max_size=30)

FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)


def _registry(folder: Path) -> Registry:
    registry = Registry.from_url(f"sqlite:///{folder / 'fuzz.db'}")
    registry.upgrade()
    return registry


@FUZZ
@given(records=st.lists(json_values | shaped, min_size=1, max_size=5))
def test_json_lines_of_anything(records: list[object]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = folder / "fuzz.jsonl"
        source.write_text("\n".join([*(json.dumps(r) for r in records), GOOD]) + "\n")
        registry = _registry(folder)
        report = registry.import_paths([source])  # must not raise
        refused = {p.record for p in report.rejected}  # a record may have several problems
        assert report.added + report.updated + report.unchanged + len(refused) <= len(records) + 1
        # The good record after the fuzz is imported whatever came before it.
        assert registry.resolve(GOOD_ID) is not None
        # What was refused left nothing behind: the store holds exactly the trials added.
        assert registry.count() == report.added
        registry.engine.dispose()


@FUZZ
@given(header=st.lists(cells, min_size=1, max_size=6), rows=st.lists(st.lists(cells, max_size=6), max_size=5))
def test_a_csv_of_anything(header: list[str], rows: list[list[str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = folder / "fuzz.csv"
        quote = lambda cell: '"' + cell.replace('"', '""') + '"'  # noqa: E731
        source.write_text("\n".join(",".join(quote(c) for c in line) for line in [header, *rows]) + "\n")
        registry = _registry(folder)
        report = registry.import_paths([source])  # must not raise
        assert registry.count() == report.added
        registry.engine.dispose()


@FUZZ
@given(text=st.text(max_size=400))
def test_a_page_of_anything(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = folder / "fuzz.txt"
        source.write_text(text)
        registry = _registry(folder)
        report = registry.import_paths([source])  # must not raise
        assert registry.count() == report.added
        assert report.added == 1 or report.rejected  # one page: read, or refused with its reason
        registry.engine.dispose()


def test_a_null_identification_module_is_a_reject_not_a_crash(tmp_path: Path) -> None:
    """Found by the fuzzing above: a null module under protocolSection raised AttributeError."""
    source = tmp_path / "null.jsonl"
    source.write_text(json.dumps({"protocolSection": {"identificationModule": None}}) + "\n" + GOOD + "\n")
    registry = _registry(tmp_path)
    report = registry.import_paths([source])
    assert report.rejected and report.added == 1
