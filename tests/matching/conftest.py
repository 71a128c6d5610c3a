"""Matching tests: a fresh candidate index for every test (the app, and its index, live for the session)."""

from __future__ import annotations

import pytest

from matching.search import STATE_KEY


@pytest.fixture(autouse=True)
def fresh_index(app):
    holder = app.state.get(STATE_KEY)
    if holder is not None:
        holder.close()
        del app.state[STATE_KEY]
    yield
