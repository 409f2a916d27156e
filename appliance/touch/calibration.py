"""Fitting the calibration matrix from touched targets (least squares, ≥ 3 targets).

The technician touches targets drawn at known pixels; each touch is recorded as the
normalised position the pipeline saw (after rotation, before calibration). The fit finds
the libinput-convention matrix (a b c d e f) that best maps those touches onto the targets.
"""

from __future__ import annotations

from collections.abc import Sequence

from appliance.touch.transform import Matrix


class CalibrationError(ValueError):
    """The touches cannot define a matrix (too few, or all on one line)."""


def fit_matrix(
    touched: Sequence[tuple[float, float]],
    targets: Sequence[tuple[float, float]],
    size: tuple[int, int],
) -> Matrix:
    """The matrix mapping normalised `touched` points onto `targets` (pixels of `size`)."""
    if len(touched) != len(targets):
        raise CalibrationError("every target needs exactly one touch")
    if len(touched) < 3:
        raise CalibrationError("calibration needs at least 3 touched targets")
    width, height = size
    if width < 2 or height < 2:
        raise CalibrationError(f"screen size {width}x{height} is too small to calibrate")
    rows = [(float(x), float(y), 1.0) for x, y in touched]
    goal_x = [px / (width - 1) for px, _ in targets]
    goal_y = [py / (height - 1) for _, py in targets]
    # Normal equations (AᵀA) m = Aᵀb, one 3×3 system per output coordinate.
    normal = [[sum(r[i] * r[j] for r in rows) for j in range(3)] for i in range(3)]
    a, b, c = _solve(normal, _project(rows, goal_x))
    d, e, f = _solve(normal, _project(rows, goal_y))
    return (a, b, c, d, e, f)


def _project(rows: list[tuple[float, float, float]], goal: list[float]) -> list[float]:
    return [sum(row[i] * value for row, value in zip(rows, goal, strict=True)) for i in range(3)]


def _solve(matrix: list[list[float]], rhs: list[float]) -> tuple[float, float, float]:
    """Gaussian elimination with partial pivoting on a 3×3 system."""
    m = [row[:] + [value] for row, value in zip(matrix, rhs, strict=True)]
    scale = max(abs(value) for row in matrix for value in row) or 1.0
    for column in range(3):
        pivot = max(range(column, 3), key=lambda r: abs(m[r][column]))
        if abs(m[pivot][column]) < 1e-9 * scale:
            raise CalibrationError(
                "the touched targets lie on one line; touch targets spread over the screen"
            )
        m[column], m[pivot] = m[pivot], m[column]
        for row in range(3):
            if row != column:
                factor = m[row][column] / m[column][column]
                for k in range(column, 4):
                    m[row][k] -= factor * m[column][k]
    return (m[0][3] / m[0][0], m[1][3] / m[1][1], m[2][3] / m[2][2])
