"""Comparisons shared by the mapper tests."""

import math

from skills.mapping.runtime import Calibrator


def same_calibrator(left: Calibrator, right: Calibrator) -> bool:
    """Equal up to float rounding: a logistic fit on another CPU differs in the last bits (~1e-15
    relative), while any change of data or method moves the coefficients by far more than 1e-9."""
    return all(math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-12)
               for x, y in ((left.a, right.a), (left.b, right.b), (left.c, right.c)))
