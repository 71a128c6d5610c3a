"""Browser tests: the real app served by uvicorn on a free localhost port, with a fresh SQLite database
and the demo data, driven by headless Chromium (Debian's, at /usr/bin/chromium) through Playwright.

Without that Chromium the tests skip, unless REQUIRE_BROWSER=1 (CI), where they fail instead.
Every page visited is saved under test-output/screenshots/; axe-core (bundled by
axe-playwright-python) checks pages for serious and critical accessibility violations.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-output" / "screenshots"
DEMO_PASSWORD = "skillpass-demo"
LEARNER = "hanako@demo.skillpass.jp"
PHONE = {"width": 375, "height": 740}
LIVE: dict[str, Path] = {}  # the live server's data directory (its outbox of .eml files), once it runs
DESKTOP = {"width": 1280, "height": 900}


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"REQUIRE_BROWSER=1 but {CHROMIUM} is missing (apt-get install chromium)")
    pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium to run the browser tests")


@pytest.fixture(autouse=True)
def clean_database() -> None:
    """The browser tests use their own server and database, not the shared test database."""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")


@pytest.fixture(scope="session")
def live_server() -> Iterator[str]:
    """Base URL of a freshly migrated server with the demo data; stopped and removed afterwards."""
    _require_chromium()
    folder = Path(tempfile.mkdtemp(prefix="skillpass-browser-"))
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{folder}/skillpass.db", "SKILLPASS_DATA_DIR": str(folder),
           "SKILLPASS_BASE_URL": base, "SKILLPASS_ENVIRONMENT": "development", "SKILLPASS_LOG_LEVEL": "WARNING",
           "PYTHONUNBUFFERED": "1",
           # the OB 3.0 Service Consumer (off by default) may call this very server as another Host
           "SKILLPASS_OB_CONSUMER_ENABLED": "true", "SKILLPASS_OB_CONSUMER_ALLOW_HTTP_LOOPBACK": "true"}
    _run(["-m", "skillpass", "db", "upgrade"], env)
    _run(["-m", "skillpass", "demo", "load"], env)
    log = open(folder / "server.log", "w")  # noqa: SIM115 - closed in the finally below
    server = subprocess.Popen([sys.executable, "-m", "skillpass", "serve", "--port", str(port)], cwd=ROOT, env=env,
                              stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_until_up(base, server, folder)
        LIVE["data_dir"] = folder
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        shutil.rmtree(folder, ignore_errors=True)


def _wait_until_up(base: str, server: subprocess.Popen, folder: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"server exited: {(folder / 'server.log').read_text()}")
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("server did not answer /health within 60 s")


@pytest.fixture(scope="session")
def browser(live_server: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Visit:
    """A browser tab on the live server that screenshots every page it shows and can run axe-core."""

    def __init__(self, page, base: str, name: str) -> None:
        self.page, self.base, self.name, self.count = page, base, name, 0
        self.errors: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def goto(self, path: str, label: str | None = None):
        response = self.page.goto(self.base + path)
        self.page.wait_for_load_state("networkidle")
        self.snap(label or path)
        return response

    def snap(self, label: str) -> Path:
        """Save what the tab shows now (full page) as test-output/screenshots/<test>-<n>-<label>.png."""
        self.count += 1
        slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-") or "home"
        path = SCREENSHOTS / f"{self.name}-{self.count:02d}-{slug[:60]}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def sign_in(self, email: str = LEARNER, password: str = DEMO_PASSWORD) -> None:
        self.goto("/signin")
        self.page.get_by_label(re.compile("メールアドレス|Email")).fill(email)
        self.page.get_by_label(re.compile("パスワード|Password")).fill(password)
        self.page.locator("#signin_form button[type=submit]").click()
        self.page.wait_for_url(re.compile(r"/(wallet|provider/[^/]+|employer/[^/]+|admin|console)$"))  # role console
        self.page.wait_for_load_state("networkidle")
        self.snap("wallet-after-sign-in")

    def axe_serious(self) -> list[str]:
        """Serious and critical axe-core violations on the current page, one line each."""
        from axe_playwright_python.sync_playwright import Axe

        results = Axe().run(self.page, options={"resultTypes": ["violations"],
                                                "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a",
                                                                                      "wcag21aa", "best-practice"]}})
        return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
                for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


@pytest.fixture
def visit(browser, live_server: str, request) -> Iterator:
    """Open a tab (``visit(lang="en", viewport=PHONE)``); each test gets fresh cookies."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    contexts = []

    def open_tab(lang: str = "ja", viewport: dict = DESKTOP, suffix: str = "") -> Visit:
        context = browser.new_context(viewport=viewport, locale="ja-JP" if lang == "ja" else "en-US")
        context.add_cookies([{"name": "lang", "value": lang, "url": live_server}])
        contexts.append(context)
        name = re.sub(r"[^a-z0-9]+", "-", request.node.name.lower()).strip("-") + suffix
        return Visit(context.new_page(), live_server, name)

    yield open_tab
    for context in contexts:
        context.close()
