"""``skillpass users create-admin``: an existing account is promoted only when asked (``--promote``),
an unconfirmed one only when the operator vouches for its address (``--confirm``), and it says whom."""

from __future__ import annotations

import sqlite3
import tempfile

from tests.test_cli import run_cli


def test_create_admin_promotes_only_when_asked_and_says_whom() -> None:
    folder = tempfile.mkdtemp()
    env = {"DATABASE_URL": f"sqlite:///{folder}/cli.db", "SKILLPASS_DATA_DIR": folder,
           "SKILLPASS_ADMIN_PASSWORD": "admin-password-1"}
    assert run_cli("db", "upgrade", env=env).returncode == 0
    created = run_cli("users", "create-admin", "--email", "Root@Example.jp", "--name", "Root", env=env)
    assert created.returncode == 0 and "administrator created: root@example.jp (Root)" in created.stdout
    with sqlite3.connect(f"{folder}/cli.db") as db:  # two learners, as the sign-up would leave them
        db.execute("INSERT INTO person (id, email, display_name, password_hash, lang, is_admin, is_active, created_at, "
                   "email_confirmed_at) SELECT lower(hex(randomblob(16))), 'kept@example.jp', 'Kept', password_hash, 'ja', 0, 1, "
                   "created_at, created_at FROM person")
        db.execute("INSERT INTO person (id, email, display_name, password_hash, lang, is_admin, is_active, created_at) "
                   "SELECT lower(hex(randomblob(16))), 'unsure@example.jp', 'Unsure', password_hash, 'ja', 0, 1, "
                   "created_at FROM person WHERE email = 'root@example.jp'")

    def is_admin(address: str) -> int:
        with sqlite3.connect(f"{folder}/cli.db") as db:
            return db.execute("SELECT is_admin FROM person WHERE email = ?", (address,)).fetchone()[0]

    silent = run_cli("users", "create-admin", "--email", "kept@example.jp", env=env)
    assert silent.returncode != 0 and "--promote" in silent.stderr and not is_admin("kept@example.jp")
    promoted = run_cli("users", "create-admin", "--email", "kept@example.jp", "--promote", env=env)
    assert promoted.returncode == 0 and "promoted to administrator: kept@example.jp (Kept)" in promoted.stdout
    assert is_admin("kept@example.jp")
    unconfirmed = run_cli("users", "create-admin", "--email", "unsure@example.jp", "--promote", env=env)
    assert unconfirmed.returncode != 0 and "--confirm" in unconfirmed.stderr and not is_admin("unsure@example.jp")
    vouched = run_cli("users", "create-admin", "--email", "unsure@example.jp", "--promote", "--confirm", env=env)
    assert vouched.returncode == 0 and "promoted to administrator: unsure@example.jp" in vouched.stdout
    with sqlite3.connect(f"{folder}/cli.db") as db:
        assert db.execute("SELECT is_admin, email_confirmed_at IS NOT NULL FROM person WHERE email = 'unsure@example.jp'"
                          ).fetchone() == (1, 1)
