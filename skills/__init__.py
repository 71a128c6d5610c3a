"""The learner's side of skillpass: evidence of skills (wallet credentials, Open Badges 2.0, learning
records, IPA exams, self-assessment), the DSS skill profile computed from it, assessment data (summaries,
gap to a role), consent and sharing. ``skills.mapping`` maps course text onto DSS skill items.

Interfaces other packages use: ``skills.profile.compute_profile``, ``skills.consent.discoverable_profiles``
and ``skills.events.subscribe`` (see docs/skills-profile.md).
"""
