"""The 法人番号 (corporate number) of the National Tax Agency: 13 digits, the first a check digit.

The rule (法人番号の指定等に関する省令 第二条): check digit = 9 − (Σ_{n=1..12} Pₙ·Qₙ mod 9), with Pₙ the
n-th digit of the 12-digit base number counted from the right and Qₙ = 1 for odd n, 2 for even n.
"""

from __future__ import annotations

import re
import unicodedata

_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―ー−]")


def normalize(raw: str) -> str:
    """What a form sends (full-width digits, hyphens, spaces) as plain ASCII text, not yet checked."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", raw or ""))


def check_digit(base: str) -> int:
    """The check digit of a 12-digit base number (会社法人等番号)."""
    if len(base) != 12 or not base.isascii() or not base.isdigit():
        raise ValueError("the base number has 12 digits")
    total = sum(int(digit) * (1 if n % 2 else 2) for n, digit in enumerate(reversed(base), start=1))
    return 9 - total % 9


def is_valid(number: str) -> bool:
    """True for 13 ASCII digits whose first digit is the check digit of the other twelve."""
    return (len(number) == 13 and number.isascii() and number.isdigit()
            and int(number[0]) == check_digit(number[1:]))


def parse(raw: str) -> str | None:
    """The 13 ASCII digits of a valid corporate number, or None."""
    number = normalize(raw)
    return number if is_valid(number) else None
