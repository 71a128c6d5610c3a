"""The states the domains share as StrEnums are stored, compared and looked up as their plain values:
rows read back from the database hold strings, and templates and older code compare with strings."""

from __future__ import annotations

import json

import pytest

from accounts.models import VerificationState
from credentials.models import BatchState, CredentialState, OfferState, RowState, TrustStatus
from matching.models import PostingStatus
from skills.models import EvidenceStatus

STATES = (CredentialState, BatchState, RowState, TrustStatus, OfferState, VerificationState, PostingStatus,
          EvidenceStatus)


@pytest.mark.parametrize("states", STATES, ids=lambda e: e.__name__)
def test_a_state_is_its_stored_value_everywhere(states) -> None:
    for member in states:
        # Enum hashes by name: a name equal to the value keeps dict lookups by the stored string working
        assert member.name == member.value and member == member.value
        assert {member: 1}[member.value] == 1 and f"{member}" == member.value
        assert json.dumps({member: member}) == json.dumps({member.value: member.value})
