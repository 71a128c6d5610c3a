"""Fixtures for the credentials.vc tests: paths to the shared standards material (tests only)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from credentials.vc.did import load_documents_map

STANDARDS = Path(__file__).resolve().parents[3].parent / "shared" / "standards"
if not STANDARDS.exists():
    STANDARDS = Path("/work/shared/standards")
VECTORS = STANDARDS / "test-vectors" / "w3c-vc-di-eddsa"
INTEROP = STANDARDS / "interop-fixtures"
REFERENCE_TIME = "2026-06-01T00:00:00Z"


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def text(path: Path) -> str:
    return path.read_text(encoding="utf-8").strip()


@pytest.fixture(autouse=True)
def clean_database() -> None:
    """The credential library has no database: override the suite-wide DB cleanup (and its engine)."""


@pytest.fixture(scope="session")
def interop_documents() -> dict:
    return load_documents_map(str(INTEROP / "documents.json"))


@pytest.fixture()
def ob_badge() -> dict:
    """The 1EdTech OB 3.0 example credential (unsigned)."""
    return load(INTEROP / "1edtech-ob-impl-guide" / "ob3-unsigned.json")
