"""Text normalisation shared by the model, the baseline and the evaluation."""

from __future__ import annotations

import re
import unicodedata

MAX_DESCRIPTION_CHARS = 1000  # long catalogue blurbs add little signal and cost time
_SPACES = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """NFKC (full-width to half-width), lower-case, single spaces: ＡＷＳ and aws compare equal."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text).lower()).strip()


def record_text(title: str, description: str = "") -> str:
    """The text a record is mapped from: its title, then the start of its description."""
    return normalize_text(f"{title} {description[:MAX_DESCRIPTION_CHARS]}")
