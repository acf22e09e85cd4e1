"""Numbers as text, for every renderer: exact where possible, short, and consistent.

A foundation module: it imports nothing from the rest of the package, so any
layer (report, sensitivity, formats, teaching documents) can use it.
"""

from __future__ import annotations

from fractions import Fraction

Number = Fraction | float  # the same alias as gametheory.game.Number


def _terminating(x: Fraction, max_places: int) -> str | None:
    """Decimal text of ``x`` if it has at most ``max_places`` decimals, else None."""
    den = x.denominator
    for places in range(max_places + 1):
        if (10**places) % den == 0:
            text = f"{abs(x.numerator) * (10**places // den):0{places + 1}d}"
            whole, frac = (text[:-places], text[-places:]) if places else (text, "")
            sign = "-" if x < 0 else ""
            return f"{sign}{whole}.{frac}" if frac else f"{sign}{whole}"
    return None


def payoff_text(x: Number) -> str:
    """A payoff: integers and short decimals as decimals (``4.125``), other rationals as fractions (``-11/3``)."""
    if isinstance(x, Fraction):
        dec = _terminating(x, 4)
        return dec if dec is not None else f"{x.numerator}/{x.denominator}"
    return f"{float(x):.4g}" if abs(float(x)) >= 1e-4 or x == 0 else f"{float(x):.3e}"


def probability_text(x: Number) -> str:
    """A probability: exact fractions (``1/4``), floats to four decimals (``0.8336``)."""
    if isinstance(x, Fraction):
        return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"
    return f"{float(x):.4f}".rstrip("0").rstrip(".") if x != 0 else "0"


def exact_text(x: Number) -> str:
    """Exact rational text for JSON (``"1/2"``, ``"-3"``)."""
    x = Fraction(x)
    return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"


def parameter_text(x: Number) -> str:
    if isinstance(x, Fraction):
        dec = _terminating(x, 6)
        return dec if dec is not None else f"{x.numerator}/{x.denominator}"
    return f"{float(x):.6g}"
