"""The 1EdTech CLR 2.0 implementation guide's "Linked Data Proof Test Vector" (the HTML page itself, read
here): the signed ClrCredential reproduces exactly with the published key (document canonical form and hash,
proof hash, signature, proofValue) and verifies, the AchievementCredential it embeds too; one changed
byte is refused. (The OB 3.0 guide's vector, stored as JSON extracted from its page, is
``test_vc_vectors.py::test_1edtech_vector_reproduces_exactly``; that HTML page is not stored.)"""

from __future__ import annotations

import copy
import hashlib
import html
import json
import re

import pytest

from conftest import INTEROP, REFERENCE_TIME, STANDARDS, load, text
from credentials.vc.canon import canonicalize
from credentials.vc.keys import load_key
from credentials.vc.multibase import multibase_decode
from credentials.vc.signing import sign_credential
from credentials.vc.verifier import verify

FOLDER = STANDARDS / "clr-v2p0" / "test-vectors" / "1edtech-impl-guide"
PAGE = FOLDER / "linked-data-proof-clr.html"
CREATED = "2010-01-01T19:23:24Z"

pytestmark = pytest.mark.skipif(not PAGE.exists(), reason="the 1EdTech CLR implementation guide page is not stored")


def sections() -> dict[str, str]:
    """Each ``<h3>`` heading of the page with the text of its first ``<pre>`` (else its text)."""
    found = {}
    for part in re.split(r"<h3[^>]*>", PAGE.read_text(encoding="utf-8"))[1:]:
        title, rest = part.split("</h3>", 1)
        pre = re.search(r"<pre[^>]*>(.*?)</pre>", rest, re.S)
        body = pre.group(1) if pre else rest
        found[html.unescape(re.sub(r"<[^>]+>", "", title)).strip()] = html.unescape(re.sub(r"<[^>]+>", "", body)).strip()
    return found


@pytest.fixture(scope="module")
def page() -> dict[str, str]:
    return sections()


def first_proof(document: dict) -> dict:
    proof = document["proof"]
    return proof[0] if isinstance(proof, list) else proof


def test_the_signed_transcript_reproduces_exactly_with_the_published_key(page) -> None:
    signed = json.loads(page["Signed credential"])
    unsigned = json.loads(page["Document before signing"])
    assert unsigned == json.loads(page["Test data"]) == {k: v for k, v in signed.items() if k != "proof"}
    # the page prints the key as JavaScript; it is the key pair of the OB 3.0 guide (hex printed on both pages)
    assert "4bdeafde2ea8beefadd8c699b5c7e0704cf51154d52e17b20b71337ca04cc5a5" in PAGE.read_text(encoding="utf-8")
    key = load_key(load(INTEROP / "1edtech-ob-impl-guide" / "published-keypair.json"))
    ours = sign_credential(unsigned, key, created=CREATED)
    assert ours["proof"] == first_proof(signed)
    canon = canonicalize(unsigned)
    assert canon.strip() == text(FOLDER / "document-canon.txt")
    assert hashlib.sha256(canon.encode()).hexdigest() == page["Document hash (hex)"].split()[0]
    config = {k: v for k, v in first_proof(signed).items() if k != "proofValue"}
    config["@context"] = unsigned["@context"]
    assert canonicalize(config).strip() == text(FOLDER / "proof-canon.txt")
    assert hashlib.sha256(canonicalize(config).encode()).hexdigest() == page["Proof hash (hex)"].split()[0]
    assert multibase_decode(first_proof(signed)["proofValue"]).hex() == page["Signature (hex)"].split()[0]


def test_the_transcript_and_the_credential_it_embeds_verify_and_a_changed_one_does_not(page, interop_documents) -> None:
    signed = json.loads(page["Signed credential"])
    result = verify(signed, documents=interop_documents, at=REFERENCE_TIME)
    assert result.verified, result.errors
    (embedded,) = signed["credentialSubject"]["verifiableCredential"]
    assert verify(embedded, documents=interop_documents, at=REFERENCE_TIME).verified
    tampered = copy.deepcopy(signed)
    tampered["credentialSubject"]["achievement"][1]["name"] = "Achievement 3"
    outcome = verify(tampered, documents=interop_documents, at=REFERENCE_TIME)
    assert not outcome.verified
    assert [c.code for c in outcome.checks if c.check == "proof"] == ["invalid_signature"]
