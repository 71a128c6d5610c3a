"""Credentials: issuers and keys, DSS-aligned achievements, Open Badges 3.0 issuance, status lists,
batch jobs, the provider API, the learner's wallet and verification (docs/credentials.md).

Interfaces other packages use:

    from credentials.wallet import WalletService, claim_for_person
    from credentials.alignments import dss_alignments, skill_of
    from credentials.verification import verify_document
    from credentials.baked import credential_text, png_text_chunks, svg_root   # baked badge images
    from credentials.issuance import IssuanceService, IssueRequest
    from credentials.achievements import AchievementService
    from credentials.batches import BatchService, BatchOptions, rows_from_csv, rows_from_json
    from credentials.deps import start_jobs, stop_jobs        # app lifespan hooks

``credentials.vc`` is the standalone W3C VC / OB 3.0 library (signing, verification, status lists).
"""
