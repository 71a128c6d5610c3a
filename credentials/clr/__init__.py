"""1EdTech CLR 2.0: transcripts of achievements issued as ClrCredential, wallet export, verification (issue 14)."""
