"""Trust evaluation (pure): trusted via our verified organisation or a registry, untrusted for
unverified / suspended / unknown issuers, impersonation for look-alike names under a foreign DID."""

from __future__ import annotations

import pytest

from credentials.trust.evaluate import TrustEntry, evaluate, issuer_of

TDA_ORG = {"id": "0b6c", "slug": "tda", "name_ja": "東京デジタルアカデミー", "name_en": "Tokyo Digital Academy"}
TDA_NOW, TDA_OLD = "did:key:z6MkTdaNow", "did:key:z6MkTdaRotatedAway"
FORGER = "did:key:z6MkFreshForger"


def tda(did: str, state: str = "verified") -> TrustEntry:
    return TrustEntry(did, "東京デジタルアカデミー", "Tokyo Digital Academy", "skillpass",
                      trusted=state == "verified", state=state, org=TDA_ORG)


ENTRIES = [
    tda(TDA_NOW), tda(TDA_OLD),
    TrustEntry("did:key:z6MkNewcomer", "新興スクール", "Newcomer School", "skillpass", trusted=False,
               state="unverified", org={"id": "1", "slug": "new", "name_ja": "新興スクール", "name_en": "Newcomer School"}),
    TrustEntry("did:key:z6MkSuspended", "停止スクール", "Halted School", "skillpass", trusted=False, state="suspended",
               org={"id": "2", "slug": "halt", "name_ja": "停止スクール", "name_en": "Halted School"}),
    TrustEntry("did:web:dcc.example", "", "Digital Credentials Consortium", "DCC Sandbox Registry", state="listed"),
]


def test_did_of_a_verified_org_is_trusted_with_the_registered_name() -> None:
    trust = evaluate(TDA_NOW, ["Anything the credential says"], ENTRIES)
    assert trust.status == "trusted" and trust.registry == "skillpass"
    assert trust.issuer == {"id": TDA_NOW, "name": "東京デジタルアカデミー", "name_en": "Tokyo Digital Academy",
                            "org": TDA_ORG}
    assert trust.reasons[0]["code"] == "issuer_verified_org"
    assert "審査を受けた組織" in trust.reasons[0]["message_ja"]


def test_a_key_rotated_away_from_stays_trusted() -> None:
    assert evaluate(TDA_OLD, ["東京デジタルアカデミー"], ENTRIES).status == "trusted"


def test_did_listed_in_a_registry_is_trusted_with_the_registry_named() -> None:
    trust = evaluate("did:web:dcc.example", [], ENTRIES)
    assert (trust.status, trust.registry, trust.reasons[0]["code"]) == ("trusted", "DCC Sandbox Registry", "issuer_listed")
    assert trust.issuer["name"] == "Digital Credentials Consortium"


@pytest.mark.parametrize("claimed", [
    "東京デジタルアカデミー", "株式会社東京デジタルアカデミー", "(株)東京デジタルアカデミー", "㈱東京デジタルアカデミー",
    "東京デジタルアカデミー株式会社", "Tokyo Digital Academy", "TOKYO DIGITAL ACADEMY Co., Ltd.",
    "Tokyo Digital Academy K.K.", "Tokyo Digital Academy Inc.",
])
def test_a_look_alike_name_under_a_foreign_did_is_impersonation(claimed: str) -> None:
    trust = evaluate(FORGER, [claimed], ENTRIES)
    assert trust.status == "impersonation" and trust.registry is None
    why = trust.reasons[0]
    assert why["code"] == "issuer_impersonation"
    assert why["resembles"]["org"] == TDA_ORG and why["resembles"]["did"] in (TDA_NOW, TDA_OLD)
    assert "「東京デジタルアカデミー」に似ています" in why["message_ja"] and "なりすまし" in why["message_ja"]
    assert "Tokyo Digital Academy" in why["message"]
    assert trust.issuer == {"id": FORGER, "name": claimed}


def test_any_language_of_the_claimed_name_counts() -> None:
    assert evaluate(FORGER, ["Honest Name Ltd.", "東京デジタルアカデミー"], ENTRIES).status == "impersonation"


def test_our_unverified_org_is_untrusted_even_when_it_names_itself_like_a_verified_one() -> None:
    assert evaluate("did:key:z6MkNewcomer", ["新興スクール"], ENTRIES).reasons[0]["code"] == "issuer_org_unverified"
    assert evaluate("did:key:z6MkNewcomer", ["東京デジタルアカデミー"], ENTRIES).status == "impersonation"


def test_pending_and_suspended_orgs_are_untrusted_with_their_reason() -> None:
    pending = [tda(TDA_NOW, "pending")]
    trust = evaluate(TDA_NOW, ["東京デジタルアカデミー"], pending)
    assert trust.status == "untrusted" and trust.reasons[0]["code"] == "issuer_org_unverified"
    assert "審査中" in trust.reasons[0]["message_ja"] and trust.issuer["org"] == TDA_ORG
    suspended = evaluate("did:key:z6MkSuspended", ["停止スクール"], ENTRIES)
    assert suspended.status == "untrusted" and suspended.reasons[0]["code"] == "issuer_org_suspended"


def test_our_suspension_outweighs_another_registry_listing_the_did() -> None:
    entries = [tda(TDA_NOW, "suspended"), TrustEntry(TDA_NOW, "", "Tokyo Digital Academy", "Other", state="listed")]
    trust = evaluate(TDA_NOW, ["東京デジタルアカデミー"], entries)
    assert trust.status == "untrusted" and trust.reasons[0]["code"] == "issuer_org_suspended"
    assert evaluate(TDA_NOW, [], entries[1:]).status == "trusted"


def test_an_unknown_issuer_with_a_different_name_is_untrusted_unknown() -> None:
    trust = evaluate(FORGER, ["大阪デジタルアカデミー"], ENTRIES)
    assert trust.status == "untrusted" and trust.reasons[0]["code"] == "issuer_unknown"
    assert trust.to_dict()["issuer"] == {"id": FORGER, "name": "大阪デジタルアカデミー"}
    assert evaluate(None, [], ENTRIES).reasons[0]["code"] == "issuer_unknown"


def test_issuer_of_reads_strings_objects_and_language_maps() -> None:
    assert issuer_of({"issuer": "did:key:z1"}) == ("did:key:z1", [])
    assert issuer_of({"issuer": {"id": "did:key:z1", "name": "東京"}}) == ("did:key:z1", ["東京"])
    assert issuer_of({"issuer": {"id": "did:key:z1", "name": [{"@value": "東京", "@language": "ja"},
                                                              {"@value": "Tokyo", "@language": "en"}]}}) == (
        "did:key:z1", ["東京", "Tokyo"])
    assert issuer_of({"issuer": {"id": "did:key:z1", "name": {"@value": "Tokyo", "@language": "en"}}}) == (
        "did:key:z1", ["Tokyo"])
    assert issuer_of({"vc": {"issuer": {"id": "did:key:z2", "name": "X"}}}) == ("did:key:z2", ["X"])
    assert issuer_of({"issuer": 7}) == (None, [])


def test_a_vetted_issuer_badging_in_another_vetted_organisations_name_is_an_impersonation() -> None:
    kds = TrustEntry("did:key:z6MkKansai", "関西データスクール", "Kansai Data School", "skillpass",
                     org={"id": "3", "slug": "kds", "name_ja": "関西データスクール", "name_en": "Kansai Data School"})
    entries = [*ENTRIES, kds]
    trust = evaluate("did:key:z6MkKansai", ["株式会社東京デジタルアカデミー"], entries)
    assert trust.status == "impersonation"
    assert trust.reasons[0]["resembles"]["org"] == TDA_ORG
    assert evaluate("did:key:z6MkKansai", ["関西データスクール"], entries).status == "trusted"
    assert evaluate("did:key:z6MkKansai", ["A name of nobody we know"], entries).status == "trusted"
    assert evaluate(TDA_OLD, ["Tokyo Digital Academy"], entries).status == "trusted"  # its own older key


def test_an_endorsement_only_issuer_is_trusted_for_endorsements_and_not_for_badges() -> None:
    """An employer's key may sign endorsements; a badge signed with it is not from a vetted issuer."""
    employer = TrustEntry("did:web:skillpass.example:issuers:sakura", "さくら", "Sakura", "skillpass",
                          scope=("endorsement",))
    endorsement = evaluate(employer.did, ["Sakura"], [employer], "endorsement")
    badge = evaluate(employer.did, ["Sakura"], [employer], "credential")
    assert endorsement.status == "trusted"
    assert badge.status == "untrusted" and badge.reasons[0]["code"] == "issuer_out_of_scope"
    assert evaluate(employer.did, ["Sakura"], [employer]).status == "untrusted"  # a credential by default


def test_an_external_registrys_endorsement_only_entry_is_held_to_its_scope_and_other_scopes_are_not() -> None:
    """The scope rule is the registry's, not only ours: an imported entry scoped to endorsements does
    not vouch for a badge; an entry scoped ``dss`` (what the registry vouches for) still does."""
    body = TrustEntry("did:key:z6MkIndustryBody", "業界団体", "Industry body", "jp-industry", state="listed",
                      scope=("endorsement",))
    school = TrustEntry("did:key:z6MkSchool", "学校", "School", "jp-industry", state="listed", scope=("dss",))
    assert evaluate(body.did, ["Industry body"], [body], "endorsement").status == "trusted"
    badge = evaluate(body.did, ["Industry body"], [body], "credential")
    assert badge.status == "untrusted" and badge.reasons[0]["code"] == "issuer_out_of_scope"
    assert evaluate(school.did, ["School"], [school], "credential").status == "trusted"
