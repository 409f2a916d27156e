"""Normalised panel coordinates → screen pixels through one 2×3 affine matrix.

libinput's convention (LIBINPUT_CALIBRATION_MATRIX): (a b c d e f) maps a normalised
point to x' = a·x + b·y + c, y' = d·x + e·y + f. A rotation is applied first, then the
calibration; pixel = round(n × (size − 1)).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

Matrix = tuple[float, float, float, float, float, float]

IDENTITY: Matrix = (1.0, 0.0, 0.0, 0.0, 1.0, 0.0)
ROTATIONS: dict[int, Matrix] = {
    0: IDENTITY,
    90: (0.0, -1.0, 1.0, 1.0, 0.0, 0.0),
    180: (-1.0, 0.0, 1.0, 0.0, -1.0, 1.0),
    270: (0.0, 1.0, 0.0, -1.0, 0.0, 1.0),
}


# A real calibration moves and scales the picture by a fraction of the screen, and may
# mirror or swap it: coefficients stay near ±1. Bounds well beyond that still refuse the
# nonsense (1e308, a determinant of zero) that would send every touch to one edge or line.
COEFFICIENT_LIMIT = 10.0
MIN_DETERMINANT = 0.01

# Why a matrix is refused, by kind: the config schema says each in both languages.
NOT_SIX = "not-six"
NOT_FINITE = "not-finite"
TOO_LARGE = "too-large"
FLAT = "flat"
MATRIX_FAULTS = {
    NOT_SIX: "a calibration matrix has 6 numbers a,b,c,d,e,f",
    NOT_FINITE: "every number of the matrix must be finite (no inf or nan)",
    TOO_LARGE: f"every number of the matrix must lie between -{COEFFICIENT_LIMIT:g} "
    f"and {COEFFICIENT_LIMIT:g}",
    FLAT: "the matrix squashes the panel onto a line (a·e − b·d is about 0)",
}


def matrix_fault(values: Sequence[object]) -> str | None:
    """Why `values` cannot be a calibration matrix (a key of MATRIX_FAULTS), or None."""
    numeric = all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)
    if len(values) != 6 or not numeric:
        return NOT_SIX
    try:
        numbers = [float(v) for v in values]  # type: ignore[arg-type]
    except OverflowError:  # an integer of hundreds of digits
        return TOO_LARGE
    if not all(math.isfinite(v) for v in numbers):
        return NOT_FINITE
    if any(abs(v) > COEFFICIENT_LIMIT for v in numbers):
        return TOO_LARGE
    a, b, _, d, e, _ = numbers
    if abs(a * e - b * d) < MIN_DETERMINANT:
        return FLAT
    return None


def as_matrix(values: Sequence[float]) -> Matrix:
    """Six usable numbers as a matrix; anything else is a ValueError with one sentence."""
    fault = matrix_fault(values)
    if fault is not None:
        raise ValueError(f"{MATRIX_FAULTS[fault]}, not {list(values)!r}"[:200])
    a, b, c, d, e, f = (float(value) for value in values)
    return (a, b, c, d, e, f)


def compose(first: Sequence[float], then: Sequence[float]) -> Matrix:
    """The matrix that applies `first`, then `then`."""
    a1, b1, c1, d1, e1, f1 = first
    a2, b2, c2, d2, e2, f2 = then
    return (
        a2 * a1 + b2 * d1,
        a2 * b1 + b2 * e1,
        a2 * c1 + b2 * f1 + c2,
        d2 * a1 + e2 * d1,
        d2 * b1 + e2 * e1,
        d2 * c1 + e2 * f1 + f2,
    )


def apply(matrix: Sequence[float], x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = matrix
    return a * x + b * y + c, d * x + e * y + f


def invert(matrix: Sequence[float]) -> Matrix:
    """The matrix that undoes `matrix` (ValueError for a flat one, which has none)."""
    a, b, c, d, e, f = matrix
    det = a * e - b * d
    if abs(det) < MIN_DETERMINANT:
        raise ValueError(MATRIX_FAULTS[FLAT])
    ia, ib, id_, ie = e / det, -b / det, -d / det, a / det
    return (ia, ib, -(ia * c + ib * f), id_, ie, -(id_ * c + ie * f))


def screen_matrix(rotation: int = 0, calibration: Sequence[float] | None = None) -> Matrix:
    """Rotation first, then calibration (DESIGN.md)."""
    if rotation not in ROTATIONS:
        raise ValueError(f"rotation must be 0, 90, 180 or 270, not {rotation}")
    rotated = ROTATIONS[rotation]
    return compose(rotated, as_matrix(calibration)) if calibration is not None else rotated


class Transform:
    """Maps a normalised contact to a pixel of a `size` screen (clamped to the screen)."""

    __slots__ = ("matrix", "size", "_a", "_b", "_c", "_d", "_e", "_f", "_w", "_h")

    def __init__(
        self,
        size: tuple[int, int],
        rotation: int = 0,
        calibration: Sequence[float] | None = None,
    ) -> None:
        width, height = size
        if width < 1 or height < 1:
            raise ValueError(f"screen size must be positive, not {width}x{height}")
        self.size = (width, height)
        self.matrix = screen_matrix(rotation, calibration)
        self._a, self._b, self._c, self._d, self._e, self._f = self.matrix
        self._w, self._h = width - 1, height - 1

    def to_pixels(self, x: float, y: float) -> tuple[int, int]:
        nx = self._a * x + self._b * y + self._c
        ny = self._d * x + self._e * y + self._f
        px = round(nx * self._w)
        py = round(ny * self._h)
        return (
            0 if px < 0 else self._w if px > self._w else px,
            0 if py < 0 else self._h if py > self._h else py,
        )
