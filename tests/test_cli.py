"""The `skillpass` console script: migrate, demo data (idempotent), admin creation, clear errors."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args: str, env: dict[str, str], input_text: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "skillpass", *args], cwd=ROOT, env={**os.environ, **env},
                          capture_output=True, text=True, input=input_text, timeout=300)


def test_upgrade_demo_load_twice_and_create_admin() -> None:
    folder = tempfile.mkdtemp()
    env = {"DATABASE_URL": f"sqlite:///{folder}/cli.db", "SKILLPASS_DATA_DIR": folder}
    assert run_cli("db", "upgrade", env=env).returncode == 0
    first = run_cli("demo", "load", env=env)
    assert first.returncode == 0, first.stderr
    assert "created" in first.stdout
    second = run_cli("demo", "load", env=env)
    assert second.returncode == 0, second.stderr
    assert "(0 created)" in second.stdout
    admin = run_cli("users", "create-admin", "--email", "root@example.jp", env={**env, "SKILLPASS_ADMIN_PASSWORD": "admin-password-1"})
    assert admin.returncode == 0 and "root@example.jp" in admin.stdout
    bad = run_cli("users", "create-admin", "--email", "x@example.jp", env={**env, "SKILLPASS_ADMIN_PASSWORD": "short"})
    assert bad.returncode != 0 and "password" in bad.stderr


def test_production_refuses_default_secrets() -> None:
    result = run_cli("db", "upgrade", env={"SKILLPASS_ENVIRONMENT": "production",
                                           "DATABASE_URL": f"sqlite:///{tempfile.mkdtemp()}/p.db"})
    assert result.returncode != 0
    assert "SKILLPASS_SECRET_KEY" in result.stderr
