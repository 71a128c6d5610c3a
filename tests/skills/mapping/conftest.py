"""The mapping tests are pure (no database): override the root conftest's autouse table cleanup."""

import pytest


@pytest.fixture(autouse=True)
def clean_database() -> None:
    """No database here, nothing to clean."""
