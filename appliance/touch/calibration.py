"""Fitting the calibration matrix from touched targets (least squares, ≥ 3 targets).

The technician touches targets drawn at known pixels; each touch is recorded as the
normalised position the pipeline saw (after rotation, before calibration). The fit finds
the libinput-convention matrix (a b c d e f) that best maps those touches onto the targets.
"""

from __future__ import annotations

from collections.abc import Sequence

from appliance.touch.transform import IDENTITY, Matrix, apply, invert, matrix_fault

TARGET_INSET = 0.15  # targets this far in from each edge: reachable, and off the clamping
MAX_ERROR_PX = 40  # a fit that misses a target by more was touched carelessly: refused


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


def targets(area: tuple[int, int, int, int]) -> list[tuple[int, int]]:
    """The pixels a technician touches in turn in `area` (x, y, width, height: the screen
    less its toolbar, so no button lies under a target): four corners, inset, then the
    centre."""
    x, y, width, height = area
    left, right = x + round(width * TARGET_INSET), x + round(width * (1 - TARGET_INSET))
    top, bottom = y + round(height * TARGET_INSET), y + round(height * (1 - TARGET_INSET))
    middle = (x + width // 2, y + height // 2)
    return [(left, top), (right, top), (right, bottom), (left, bottom), middle]


def fit_from_screen(
    touched: Sequence[tuple[int, int]],
    aimed: Sequence[tuple[int, int]],
    size: tuple[int, int],
    current: Sequence[float] | None,
) -> Matrix:
    """The calibration matrix from touches seen in screen pixels through the `current`
    calibration (what the UI receives), aimed at `aimed`. CalibrationError when the touches
    cannot define one or the fit would still miss a target by more than MAX_ERROR_PX."""
    width, height = size
    undo = invert(current or IDENTITY)
    seen = [apply(undo, x / (width - 1), y / (height - 1)) for x, y in touched]
    matrix = fit_matrix(seen, aimed, size)
    if matrix_fault(matrix) is not None:
        raise CalibrationError("the touches do not describe a usable panel")
    for (nx, ny), (px, py) in zip(seen, aimed, strict=True):
        x, y = apply(matrix, nx, ny)
        if abs(x * (width - 1) - px) > MAX_ERROR_PX or abs(y * (height - 1) - py) > MAX_ERROR_PX:
            raise CalibrationError(f"a touch missed its target by more than {MAX_ERROR_PX} px")
    return matrix
