"""Shared fixtures: paths to the shared reference data and a registry on each backend.

The store tests run on SQLite and on PostgreSQL. PostgreSQL needs REMISSION_TEST_DATABASE_URL
(`.ci/run` starts a server and sets it); without it those tests skip, unless
REMISSION_REQUIRE_POSTGRES is set (as on CI), where a missing server is a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy import create_engine, text

from remission.services.trials import Registry

# No per-example deadline: a loaded CI machine must not fail a property on time. Speed is
# measured in benchmarks/, not in tests.
settings.register_profile("remission", deadline=None)
settings.load_profile("remission")

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
PAGES = ROOT / "src" / "remission" / "data" / "pages"
CTGOV = SHARED / "data" / "ctgov" / "studies.jsonl"
SEED = {
    "NCT07095075": PAGES / "000_5c547f2ed1c5046d.txt",
    "NCT07246096": PAGES / "001_302fe1d1e7321d74.txt",
    "NCT07049081": PAGES / "002_c67f4663525323e8.txt",
    "LIANGZOU": PAGES / "003_bc9e25ce2981cd6e.txt",
    "ZJU": PAGES / "004_3578e6d84ae41c82.txt",
}
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def ctgov_sample(tmp: Path, n: int = 150) -> Path:
    """The first ``n`` bundled ClinicalTrials.gov records, as a JSON-lines file in ``tmp``."""
    path = tmp / "sample.jsonl"
    path.write_text("\n".join(CTGOV.read_text().splitlines()[:n]) + "\n")
    return path


def sample_registry(tmp: Path, n: int) -> Registry:
    """A SQLite registry in ``tmp`` holding the seed pages and the first ``n`` records."""
    registry = Registry.from_url(f"sqlite:///{tmp / 'sample.db'}")
    registry.upgrade()
    assert not registry.import_paths([PAGES, ctgov_sample(tmp, n)]).rejected
    return registry


def postgres_url() -> str | None:
    url = os.environ.get("REMISSION_TEST_DATABASE_URL")
    if not url:
        if os.environ.get("REMISSION_REQUIRE_POSTGRES"):
            pytest.fail("REMISSION_REQUIRE_POSTGRES is set but REMISSION_TEST_DATABASE_URL is not")
        pytest.skip("no PostgreSQL server (set REMISSION_TEST_DATABASE_URL)")
    return url


def fresh_registry(backend: str, tmp: Path) -> Registry:
    if backend == "sqlite":
        url = f"sqlite:///{tmp / 'test.db'}"
    else:
        url = postgres_url() or ""
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    registry = Registry.from_url(url)
    registry.upgrade()
    return registry


@pytest.fixture(params=BACKENDS)
def registry(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Registry]:
    reg = fresh_registry(request.param, tmp_path)
    yield reg
    reg.engine.dispose()


DOMAIN = ROOT / "src" / "remission" / "data" / "domain"


@pytest.fixture(scope="session")
def domain_registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    folder = tmp_path_factory.mktemp("domain")
    registry = Registry.from_url(f"sqlite:///{folder / 'domain.db'}")
    registry.upgrade()
    report = registry.import_paths([DOMAIN, PAGES])
    assert not report.rejected
    yield registry
    registry.engine.dispose()


@pytest.fixture
def mail_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Mail written as files to a folder of the test's own (no SMTP server configured)."""
    folder = tmp_path / "mail"
    monkeypatch.setenv("REMISSION_MAIL_DIR", str(folder))
    monkeypatch.delenv("REMISSION_SMTP_HOST", raising=False)
    return folder
