"""Fixtures for the DSS taxonomy tests: a taxonomy without overlay, copies of the data files, a tiny app."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.di import Provide

from core.problems import exception_handlers
from core.settings import Settings
from taxonomies.dss import Taxonomy, get_taxonomy
from taxonomies.dss.api import handlers
from taxonomies.dss.loader import PACKAGE_DATA_DIR

BASE_URL = "https://skillpass.test"


@pytest.fixture
def overlay_dir(tmp_path: Path) -> Path:
    """An empty data directory: no official overlay, estimates only."""
    path = tmp_path / "var"
    path.mkdir()
    return path


@pytest.fixture
def tx(overlay_dir: Path) -> Taxonomy:
    return get_taxonomy(overlay_dir)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped data files, to corrupt."""
    target = tmp_path / "data"
    shutil.copytree(PACKAGE_DATA_DIR, target)
    return target


@pytest.fixture
def dss_settings(overlay_dir: Path) -> Settings:
    return Settings(environment="test", base_url=BASE_URL, data_dir=overlay_dir)


@pytest.fixture
def app(dss_settings: Settings) -> Litestar:
    return Litestar(route_handlers=handlers, exception_handlers=exception_handlers,
                    dependencies={"settings": Provide(lambda: dss_settings, sync_to_thread=False)})


@pytest.fixture(autouse=True)
def clean_database() -> None:
    """The taxonomy needs no database: replaces the suite-wide cleanup (and its migration) here."""
