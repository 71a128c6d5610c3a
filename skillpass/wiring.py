"""Connects domains that must react to each other without importing upwards."""

from __future__ import annotations

from functools import partial

from accounts import erasure, hooks, upkeep
from accounts.oauth import applications as oauth_grants
from core.settings import Settings
from credentials import person_data
from credentials.ob_consumer import service as ob_consumer
from credentials.oid4vci import sweep as oid4vci_sweep
from credentials.pathways import service as pathways
from credentials.oid4vp import sweep as oid4vp_sweep
from credentials.wallet import claim_for_person, rejudge_subjects, retrust_org
from matching import candidates
from matching.contact import person_data as contact_data
from matching.jobs import service as jobs
from matching.search import IndexHolder
from skills import export as skills_export
from skills import progress
from skills import wallet_sync


def connect_domains(settings: Settings) -> None:
    """Idempotent: an account that confirms its email claims the credentials already issued to it and
    the ones it holds are judged again for whom they name; an organization's verification changes judge
    its credentials' trust again; wallet changes recompute the skill profile."""
    hooks.on_email_confirmed("credentials.claim", partial(_claim, settings=settings))
    hooks.on_email_confirmed("credentials.subjects", partial(_rejudge, settings=settings))
    hooks.on_org_verification_changed("credentials.retrust", partial(_retrust, settings=settings))
    wallet_sync.connect()
    pathways.connect()  # after the profile: a completed pathway issues its badge (once per learner)
    # a person's data export and deletion (accounts.erasure): each domain's part, deleted in reverse order
    erasure.contribute("wallet", partial(person_data.export_held, settings=settings),
                       partial(person_data.delete_held, settings=settings))
    erasure.contribute("public_badges", partial(person_data.export_public_badges, settings=settings),
                       partial(person_data.delete_public_badges, settings=settings))
    erasure.contribute("holder_dids", partial(person_data.export_holder_dids, settings=settings),
                       partial(person_data.delete_holder_dids, settings=settings))
    erasure.contribute("skills", skills_export.export_all, skills_export.delete_all)
    erasure.contribute("oauth_applications", oauth_grants.export_grants, oauth_grants.delete_grants)
    erasure.contribute("ob_host_connections", ob_consumer.export_connections, ob_consumer.delete_connections)
    erasure.contribute("employer_contact", contact_data.export_contact, contact_data.delete_contact)
    erasure.contribute("learner_progress", progress.export_settings, progress.delete_settings)
    erasure.contribute("pathway_awards", pathways.export_awards, pathways.delete_awards)
    erasure.contribute("jobs", jobs.export_jobs, jobs.delete_jobs)
    candidates.connect()  # the candidate index's stored rows change with the profile, in its transaction
    # the upkeep round deletes lapsed OpenID4VCI offers, tokens and nonces and stale presentation requests
    upkeep.contribute("oid4vci", oid4vci_sweep.sweep_lapsed)
    upkeep.contribute("oid4vp", oid4vp_sweep.sweep_lapsed)
    upkeep.contribute("oauth", oauth_grants.sweep_lapsed)  # lapsed OB 3.0 API codes and token pairs
    upkeep.contribute("ob_consumer", ob_consumer.sweep_pending)  # Host connections never authorized


async def _claim(session, person, *, settings: Settings) -> dict[str, int]:
    return {"claimed_credentials": len(await claim_for_person(session, person, settings))}


async def _retrust(session, org, old_state: str, new_state: str, *, settings: Settings) -> None:
    """Trust follows an organization's verification at once: its holders' profiles are recomputed."""
    await retrust_org(session, settings, org.id)


async def _rejudge(session, person, *, settings: Settings) -> None:
    """Credentials imported before the address was confirmed may name it: they count from now on."""
    await rejudge_subjects(session, settings, person.id)


def connect_index(holder: IndexHolder) -> None:
    """The candidate index hears this process's profile and consent changes (``skills.events``, after
    commit) and re-reads those people before the next search; ``holder.close()`` disconnects it."""
    holder.listen()
