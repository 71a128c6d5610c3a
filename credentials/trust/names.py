"""Organisation names folded for comparison, and the look-alike rule behind "impersonation".

``fold_name`` removes what does not tell two organisations apart (width, case, spaces, punctuation,
corporate designators such as 株式会社 / (株) / Co., Ltd., long-vowel and hyphen variants, hiragana vs
katakana); ``resembles`` says whether two names would be taken for each other.  The thresholds are
chosen so that a one-character swap (東京 → 東亰) matches while a different place name
(東京 vs 大阪 デジタルアカデミー) does not; see docs/trust-registries.md for the table.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

# Japanese designators, NFKC-normalised (㈱ becomes (株)); removed wherever they stand.
JA_DESIGNATORS = (
    "国立研究開発法人", "特定非営利活動法人", "独立行政法人", "国立大学法人", "公立大学法人", "地方独立行政法人",
    "一般社団法人", "一般財団法人", "公益社団法人", "公益財団法人", "社会福祉法人", "学校法人", "医療法人",
    "宗教法人", "npo法人", "株式会社", "有限会社", "合同会社", "合資会社", "合名会社",
    "(株)", "(有)", "(同)", "(合)", "(資)", "(名)", "(社)", "(財)", "(学)", "(独)", "(一社)", "(一財)",
    "(公社)", "(公財)", "(特非)", "(医)", "(福)",
)
# English designators: phrases first, then single words (after dots are dropped: k.k. -> kk).
EN_PHRASES = ("kabushiki kaisha", "kabushikigaisha", "godo kaisha", "yugen kaisha", "co ltd", "pte ltd", "pty ltd")
EN_WORDS = frozenset(
    "co ltd inc corp corporation incorporated limited kk gk yk llc llp plc gmbh ag sa bv nv".split())
DASHES = "ー-‐‑‒–—―−－ｰ~〜～"

_LATIN_RUN = re.compile(r"[a-z0-9.&'’ ,]+")


def _strip_english(text: str) -> str:
    """Drop English designators inside each run of Latin text (word boundaries matter there)."""
    def clean(match: re.Match[str]) -> str:
        run = re.sub(r"[.'’]", "", match.group(0))
        words = [w for w in re.split(r"[\s,&]+", run) if w]
        joined = " ".join(words)
        for phrase in EN_PHRASES:
            joined = re.sub(rf"(^| ){phrase}( |$)", " ", joined)
        kept = [w for w in joined.split() if w not in EN_WORDS]
        # A name made only of designators ("Co., Ltd.") keeps its words rather than vanishing.
        return " " + " ".join(kept or words) + " "

    return _LATIN_RUN.sub(clean, text)


def _katakana(text: str) -> str:
    return "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in text)


def fold_name(text: str) -> str:
    """The comparable core of an organisation name ("" when nothing is left)."""
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    for designator in JA_DESIGNATORS:
        folded = folded.replace(designator, " ")
    folded = _strip_english(folded)
    folded = "".join(" " if c in DASHES else c for c in folded)
    kept = [c for c in folded if unicodedata.category(c)[0] in "LNM"]
    return _katakana("".join(kept))


def similarity(a: str, b: str) -> float:
    """difflib ratio of two folded names."""
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _differing(a: str, b: str) -> int:
    matched = sum(block.size for block in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())
    return max(len(a), len(b)) - matched


RATIO = 0.85
MIN_RATIO_LEN = 4
MIN_CONTAINED_LEN = 5
MIN_CONTAINED_SHARE = 0.5
CHARS_PER_EDIT = 10


def resembles(a: str, b: str) -> bool:
    """True when the names are the same after folding or close enough to be taken for each other."""
    fa, fb = fold_name(a), fold_name(b)
    if not fa or not fb:
        return False
    if fa == fb:
        return True
    short, long_ = sorted((fa, fb), key=len)
    # The ratio alone calls "Kyoto University" and "Tokyo University" alike: also cap how many
    # characters may differ (one per ten), so a swapped place name is not a look-alike.
    if (len(short) >= MIN_RATIO_LEN and similarity(fa, fb) >= RATIO
            and _differing(fa, fb) <= max(1, len(long_) // CHARS_PER_EDIT)):
        return True
    # "東京デジタルアカデミー大阪校" carries the whole name; a short word inside a long name does not count.
    return len(short) >= MIN_CONTAINED_LEN and short in long_ and len(short) / len(long_) >= MIN_CONTAINED_SHARE


__all__ = ["fold_name", "resembles", "similarity"]
