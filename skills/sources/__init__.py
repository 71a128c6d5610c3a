"""Evidence sources, one importer each: wallet credentials, Open Badges 2.0, learning records,
IPA exam results and self-assessment. Each keeps its raw original and writes ``SkillEvidence`` pieces."""
