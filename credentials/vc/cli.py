"""`skillpass credentials ...` commands: keygen, sign, verify (mounted by the composition root)."""

from __future__ import annotations

import json
import sys

import click

from credentials.vc.did import HttpFetcher, Resolver, load_documents_map
from credentials.vc.errors import VcError
from credentials.vc.keys import generate_ed25519, generate_p256, load_key
from credentials.vc.signing import sign_credential
from credentials.vc.verifier import MAX_BYTES, verify

SUITES = ["eddsa-rdfc-2022", "vc-jwt", "Ed25519Signature2018", "Ed25519Signature2020", "ecdsa-rdfc-2019"]


class InputProblem(click.ClickException):
    """Unreadable input files: exit code 2, apart from 1 (not verified / cannot sign)."""

    exit_code = 2


def _dump(value: object) -> str:
    return value if isinstance(value, str) else json.dumps(value, indent=2, ensure_ascii=False)


def _read_json(path: str, what: str) -> object:
    try:
        with click.open_file(path, "r", encoding="utf-8") as fh:
            return json.loads(fh.read(MAX_BYTES + 1))
    except (OSError, ValueError) as exc:
        raise InputProblem(f"cannot read {what} {path}: {exc}") from None


@click.group("credentials")
def credentials_group() -> None:
    """Sign and verify W3C Verifiable Credentials / Open Badges 3.0 (offline)."""


@credentials_group.command("keygen")
@click.option("--type", "key_type", type=click.Choice(["ed25519", "p256"]), default="ed25519", show_default=True)
def keygen(key_type: str) -> None:
    """Print a new key as a Multikey document (keep it secret: it holds secretKeyMultibase)."""
    pair = generate_ed25519() if key_type == "ed25519" else generate_p256()
    doc = pair.to_multikey()
    doc["controller"] = pair.public.did
    doc["id"] = pair.public.did_key_vm
    click.echo(_dump(doc))


@credentials_group.command("sign")
@click.option("--key", "key_path", required=True, help="Multikey document or private JWK (JSON file).")
@click.option("--created", help="proof 'created' date-time (ISO 8601); default: now.")
@click.option("--suite", type=click.Choice(SUITES), default="eddsa-rdfc-2022", show_default=True)
@click.option("--verification-method", help="default: the key's id, else its did:key.")
@click.argument("in_path", metavar="IN.json")
def sign(key_path: str, created: str | None, suite: str, verification_method: str | None, in_path: str) -> None:
    """Sign the credential in IN.json and print it (or the VC-JWT)."""
    credential = _read_json(in_path, "credential")
    if not isinstance(credential, dict):
        raise click.ClickException("IN.json must hold a JSON object (a credential)")
    key_doc = _read_json(key_path, "key")
    try:
        signed = sign_credential(credential, load_key(key_doc), created=created, suite=suite,
                                 verification_method=verification_method)
    except (VcError, ValueError) as exc:
        raise click.ClickException(f"cannot sign: {exc}") from None
    click.echo(_dump(signed))


def verify_input(in_path: str, documents_path: str | None, network: bool) -> tuple[bytes, Resolver]:
    """The bytes to verify and the resolver the options ask for (InputProblem, exit 2, when unreadable)."""
    try:
        with click.open_file(in_path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InputProblem(f"cannot read {in_path}: {exc}") from None
    documents = None
    if documents_path:
        try:
            documents = load_documents_map(documents_path)
        except (OSError, ValueError, AttributeError) as exc:
            raise InputProblem(f"cannot read documents map {documents_path}: {exc}") from None
    return data, Resolver(documents=documents, fetcher=HttpFetcher() if network else None)


def verify_options(command):
    """The argument and options of ``verify`` (the platform's verify adds its trust options to these)."""
    for option in reversed((
        click.argument("in_path", metavar="IN.json"),
        click.option("--documents", "documents_path", help="URL -> file map (paths relative to the map) for "
                     "offline did:web documents and status lists."),
        click.option("--at", help="judge validity at this date-time (ISO 8601); default: now."),
        click.option("--challenge", help="expected presentation challenge."),
        click.option("--domain", help="expected presentation domain."),
        click.option("--strict-schema", is_flag=True, help="fail on OB 3.0 schema violations (default: warning)."),
        click.option("--network", is_flag=True, help="allow HTTPS resolution of did:web and status lists."),
    )):
        command = option(command)
    return command


@credentials_group.command("verify")
@verify_options
def verify_cmd(in_path: str, documents_path: str | None, at: str | None, challenge: str | None,
               domain: str | None, strict_schema: bool, network: bool) -> None:
    """Verify a credential, presentation or VC-JWT; print one JSON object.

    Exit status: 0 verified, 1 not verified, 2 unreadable input / bad options.
    """
    data, resolver = verify_input(in_path, documents_path, network)
    result = verify(data, at=at, resolver=resolver, challenge=challenge, domain=domain, strict_schema=strict_schema)
    out = result.to_dict()
    click.echo(json.dumps({"verified": out["verified"], "checks": out["checks"], "errors": out["errors"],
                           "warnings": out["warnings"], "kind": out["kind"]}, indent=2, ensure_ascii=False))
    sys.exit(0 if result.verified else 1)


verify_cmd.name = "verify"
