"""Rotation and calibration in libinput's convention, and the calibration fit."""

from __future__ import annotations

import random

import pytest

from appliance.touch.calibration import CalibrationError, fit_from_screen, fit_matrix, targets
from appliance.touch.transform import (
    IDENTITY,
    ROTATIONS,
    Transform,
    apply,
    compose,
    invert,
    screen_matrix,
)

SIZE = (1080, 1920)
CORNERS = {"top-left": (0.0, 0.0), "top-right": (1.0, 0.0), "bottom-left": (0.0, 1.0)}


@pytest.mark.parametrize(
    "rotation,expected",
    [
        # Where the panel's top-left, top-right and bottom-left corners land on screen.
        (0, {"top-left": (0, 0), "top-right": (1079, 0), "bottom-left": (0, 1919)}),
        (90, {"top-left": (1079, 0), "top-right": (1079, 1919), "bottom-left": (0, 0)}),
        (180, {"top-left": (1079, 1919), "top-right": (0, 1919), "bottom-left": (1079, 0)}),
        (270, {"top-left": (0, 1919), "top-right": (0, 0), "bottom-left": (1079, 1919)}),
    ],
)
def test_each_rotation_maps_the_panel_corners(rotation, expected):
    transform = Transform(SIZE, rotation)
    assert {name: transform.to_pixels(*point) for name, point in CORNERS.items()} == expected


def test_the_rotation_matrices_are_libinputs():
    assert ROTATIONS[90] == (0, -1, 1, 1, 0, 0)
    assert ROTATIONS[180] == (-1, 0, 1, 0, -1, 1)
    assert ROTATIONS[270] == (0, 1, 0, -1, 0, 1)


def test_four_quarter_turns_are_no_turn():
    matrix = ROTATIONS[0]
    for _ in range(4):
        matrix = compose(matrix, ROTATIONS[90])
    assert matrix == pytest.approx(ROTATIONS[0])


def test_pixels_are_rounded_from_n_times_size_minus_one():
    assert Transform((100, 10)).to_pixels(0.5, 0.5) == (round(0.5 * 99), round(0.5 * 9))


def test_rotation_is_applied_before_the_calibration():
    shift = (1, 0, 0.1, 0, 1, 0)  # calibration: move right by a tenth of the screen
    rotated_then_shifted = apply(shift, *apply(ROTATIONS[90], 0.2, 0.3))
    assert apply(screen_matrix(90, shift), 0.2, 0.3) == pytest.approx(rotated_then_shifted)


def test_an_invalid_rotation_is_one_clear_error():
    with pytest.raises(ValueError, match="rotation must be 0, 90, 180 or 270"):
        Transform(SIZE, 45)


def test_calibration_round_trip_recovers_the_matrix():
    truth = (0.95, 0.02, 0.03, -0.01, 1.04, -0.02)
    targets = [(108, 192), (972, 192), (540, 960), (108, 1728), (972, 1728)]
    # What the panel reported when each target was touched: the inverse of `truth`.
    a, b, c, d, e, f = truth
    det = a * e - b * d
    touched = []
    for px, py in targets:
        tx, ty = px / 1079 - c, py / 1919 - f
        touched.append(((e * tx - b * ty) / det, (a * ty - d * tx) / det))
    fitted = fit_matrix(touched, targets, SIZE)
    assert fitted == pytest.approx(truth, abs=1e-9)
    transform = Transform(SIZE, 0, fitted)
    for point, target in zip(touched, targets, strict=True):
        assert transform.to_pixels(*point) == target


def test_calibration_from_noisy_touches_lands_within_two_pixels():
    rng = random.Random(7)
    truth = (1.02, 0.0, -0.01, 0.0, 0.97, 0.015)
    targets = [(x, y) for x in (100, 540, 980) for y in (150, 960, 1770)]
    inverse = []
    for px, py in targets:
        nx = (px / 1079 - truth[2]) / truth[0] + rng.uniform(-3e-4, 3e-4)
        ny = (py / 1919 - truth[5]) / truth[4] + rng.uniform(-3e-4, 3e-4)
        inverse.append((nx, ny))
    transform = Transform(SIZE, 0, fit_matrix(inverse, targets, SIZE))
    for point, (px, py) in zip(inverse, targets, strict=True):
        x, y = transform.to_pixels(*point)
        assert abs(x - px) <= 2 and abs(y - py) <= 2


def test_calibration_needs_three_targets_not_on_one_line():
    with pytest.raises(CalibrationError, match="at least 3"):
        fit_matrix([(0.1, 0.1), (0.9, 0.9)], [(10, 10), (90, 90)], SIZE)
    with pytest.raises(CalibrationError, match="one line"):
        fit_matrix([(0.1, 0.1), (0.5, 0.5), (0.9, 0.9)], [(1, 1), (5, 5), (9, 9)], SIZE)


# -- calibrating from the service menu: touches seen in pixels through the current matrix --

AREA = (38, 38, 1004, 1680)


def touches_seen(true: tuple, current: tuple, aimed: list) -> list[tuple[int, int]]:
    """Where the UI sees a finger put on each target of a panel whose right calibration is
    `true`, while it still applies `current`."""
    raw = [apply(invert(true), x / (SIZE[0] - 1), y / (SIZE[1] - 1)) for x, y in aimed]
    return [Transform(SIZE, 0, current).to_pixels(*point) for point in raw]


def test_targets_stand_inside_the_area_corners_first_then_the_centre():
    aimed = targets(AREA)
    assert len(aimed) == 5 and aimed[4] == (38 + 502, 38 + 840)
    assert all(38 <= x <= 1042 and 38 <= y <= 1718 for x, y in aimed)


def test_a_shifted_and_stretched_panel_is_recovered_from_its_touches():
    true = (0.95, 0.0, 0.04, 0.0, 1.03, -0.02)
    aimed = targets(AREA)
    matrix = fit_from_screen(touches_seen(true, IDENTITY, aimed), aimed, SIZE, IDENTITY)
    assert all(abs(m - t) < 0.003 for m, t in zip(matrix, true, strict=True)), matrix


def test_calibrating_again_through_a_calibration_recovers_the_same_matrix():
    true = (1.0, 0.0, -0.05, 0.0, 1.0, 0.03)
    aimed = targets(AREA)
    first = fit_from_screen(touches_seen(true, IDENTITY, aimed), aimed, SIZE, IDENTITY)
    again = fit_from_screen(touches_seen(true, first, aimed), aimed, SIZE, first)
    assert all(abs(a - t) < 0.003 for a, t in zip(again, true, strict=True)), again


def test_careless_touches_are_refused_not_applied():
    aimed = targets(AREA)
    touched = list(aimed)
    touched[4] = (aimed[4][0] + 300, aimed[4][1] - 250)  # the centre touched far off
    with pytest.raises(CalibrationError, match="missed its target"):
        fit_from_screen(touched, aimed, SIZE, IDENTITY)
    with pytest.raises(CalibrationError):
        fit_from_screen([(500, 500)] * 5, aimed, SIZE, IDENTITY)


def test_a_matrix_and_its_inverse_undo_each_other():
    matrix = (0.0, -1.0, 1.0, 1.0, 0.0, 0.0)
    undone = compose(matrix, invert(matrix))
    assert all(abs(u - i) < 1e-12 for u, i in zip(undone, IDENTITY, strict=True))
    with pytest.raises(ValueError):
        invert((1.0, 2.0, 0.0, 2.0, 4.0, 0.0))
