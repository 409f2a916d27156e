"""Normalised panel coordinates → screen pixels through one 2×3 affine matrix.

libinput's convention (LIBINPUT_CALIBRATION_MATRIX): (a b c d e f) maps a normalised
point to x' = a·x + b·y + c, y' = d·x + e·y + f. A rotation is applied first, then the
calibration; pixel = round(n × (size − 1)).
"""

from __future__ import annotations

from collections.abc import Sequence

Matrix = tuple[float, float, float, float, float, float]

IDENTITY: Matrix = (1.0, 0.0, 0.0, 0.0, 1.0, 0.0)
ROTATIONS: dict[int, Matrix] = {
    0: IDENTITY,
    90: (0.0, -1.0, 1.0, 1.0, 0.0, 0.0),
    180: (-1.0, 0.0, 1.0, 0.0, -1.0, 1.0),
    270: (0.0, 1.0, 0.0, -1.0, 0.0, 1.0),
}


def as_matrix(values: Sequence[float]) -> Matrix:
    """Six numbers as a matrix; anything else is a ValueError with one sentence."""
    if len(values) != 6:
        raise ValueError(f"a calibration matrix has 6 numbers, not {len(values)}")
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
