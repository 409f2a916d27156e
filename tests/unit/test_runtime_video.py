"""SDL's environment for each video driver, set before pygame opens the display."""

import os

import pytest

from appliance.runtime.video import configure_sdl, on_kms

SDL_VARS = (
    "SDL_VIDEODRIVER",
    "SDL_RENDER_DRIVER",
    "SDL_AUDIODRIVER",
    "SDL_MOUSE_TOUCH_EVENTS",
    "SDL_TOUCH_MOUSE_EVENTS",
    "DISPLAY",
    "WAYLAND_DISPLAY",
)


@pytest.fixture
def environ(monkeypatch):
    for name in SDL_VARS:
        monkeypatch.delenv(name, raising=False)
    return os.environ


def test_kmsdrm_draws_through_the_gles2_renderer(environ):
    # The "opengl" renderer SDL would pick first fails on KMSDRM's GLES context: black frames.
    configure_sdl("kmsdrm", sdl_pointer=False)
    assert environ["SDL_VIDEODRIVER"] == "kmsdrm"
    assert environ["SDL_RENDER_DRIVER"] == "opengles2"


def test_a_renderer_chosen_by_the_technician_is_kept(environ):
    environ["SDL_RENDER_DRIVER"] = "software"
    configure_sdl("kmsdrm", sdl_pointer=False)
    assert environ["SDL_RENDER_DRIVER"] == "software"


def test_a_desktop_session_keeps_sdls_own_renderer(environ):
    environ["DISPLAY"] = ":0"
    configure_sdl("auto", sdl_pointer=True)
    assert "SDL_RENDER_DRIVER" not in environ
    assert "SDL_VIDEODRIVER" not in environ
    configure_sdl("x11", sdl_pointer=True)
    assert "SDL_RENDER_DRIVER" not in environ


@pytest.mark.parametrize(
    ("video", "env", "expected"),
    [
        ("kmsdrm", {}, True),
        ("kmsdrm", {"DISPLAY": ":0"}, True),
        ("auto", {}, True),
        ("auto", {"DISPLAY": ":0"}, False),
        ("auto", {"WAYLAND_DISPLAY": "wayland-0"}, False),
        ("x11", {}, False),
        ("dummy", {}, False),
    ],
)
def test_on_kms(video, env, expected):
    assert on_kms(video, env) is expected


def test_sdl_touch_translation_is_off_when_evdev_reads_the_panel(environ):
    configure_sdl("dummy", sdl_pointer=False)
    assert environ["SDL_MOUSE_TOUCH_EVENTS"] == "0"
    assert environ["SDL_TOUCH_MOUSE_EVENTS"] == "0"
    assert environ["SDL_AUDIODRIVER"] == "dummy"
