"""Two apps in one process each use their own engine (advanced-alchemy keys the second one differently),
and ``python -m skillpass``'s module can be imported without running the CLI (a forking pool does)."""

from __future__ import annotations

import importlib
import sys

from litestar.testing import AsyncTestClient

from credentials.deps import RUNNER_KEY, UPKEEP_KEY, app_engine


async def test_two_apps_in_one_process_both_serve_and_run_their_jobs(settings) -> None:
    from skillpass.app import create_app

    first, second = create_app(settings), create_app(settings)
    async with AsyncTestClient(app=first) as one, AsyncTestClient(app=second) as two:
        assert (await one.get("/health")).status_code == 200
        assert (await two.get("/health")).status_code == 200
        assert first.state[RUNNER_KEY] is not second.state[RUNNER_KEY]
        assert app_engine(first) is not app_engine(second)
        assert first.state[UPKEEP_KEY] is not None and not second.state[UPKEEP_KEY].done()


def test_importing_the_main_module_does_not_run_the_cli() -> None:
    sys.modules.pop("skillpass.__main__", None)
    module = importlib.import_module("skillpass.__main__")  # before the guard: SystemExit from click
    assert callable(module.main)
