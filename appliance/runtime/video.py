"""Opening the screen: SDL driver, fullscreen without cursor, SDL's own input switched off.

Touch comes from the evdev pipeline (the node is grabbed); SDL must not also turn the
panel into mouse or finger events, or a tap would arrive twice.
"""

from __future__ import annotations

import os

VIDEO_DRIVERS = ("auto", "kmsdrm", "x11", "wayland", "dummy")


def configure_sdl(video: str, *, sdl_pointer: bool) -> None:
    """Set SDL's environment before pygame.display is initialised."""
    if video != "auto":
        os.environ["SDL_VIDEODRIVER"] = video
    if on_kms(video):
        # SDL's KMSDRM backend makes an OpenGL ES context (EGL on GBM), but for the window
        # surface pygame draws into it picks the first accelerated renderer, "opengl", whose
        # desktop-GL calls all fail there: every frame reaches the screen black. The GLES2
        # renderer is the one that matches (v3d on the Pi, llvmpipe in QEMU).
        os.environ.setdefault("SDL_RENDER_DRIVER", "opengles2")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")  # a kiosk without sound card still starts
    os.environ["PYGAME_HIDE_SUPPORT_PROMPT"] = "1"
    if not sdl_pointer:
        os.environ["SDL_MOUSE_TOUCH_EVENTS"] = "0"
        os.environ["SDL_TOUCH_MOUSE_EVENTS"] = "0"


def on_kms(video: str, environ=os.environ) -> bool:
    """Whether SDL will draw through KMS/DRM: asked for, or "auto" with no desktop session."""
    if video == "kmsdrm":
        return True
    return video == "auto" and not (environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"))


# A development window leaves room for the desktop's panels and title bar.
DESKTOP_SHARE = 0.9


def window_size(panel: tuple[int, int], desktop: tuple[int, int]) -> tuple[int, int]:
    """The panel's size scaled down, keeping its proportions, to fit a desktop (never up)."""
    scale = min(1.0, DESKTOP_SHARE * desktop[0] / panel[0], DESKTOP_SHARE * desktop[1] / panel[1])
    return max(1, round(panel[0] * scale)), max(1, round(panel[1] * scale))


def open_display(size: tuple[int, int], rotation: int):
    """The display surface, in the panel's own orientation (citizen size turned by rotation).

    On the totem (KMS) it is the whole screen. On a developer's desktop it is a window
    scaled down to fit the screen when the panel is larger (a 1080×1920 kiosk on a laptop):
    the UI still draws at its own size and `Presenter` scales each frame into the window."""
    import pygame

    from appliance.ui.rotation import framebuffer_size

    pygame.display.init()
    pygame.font.init()
    panel = framebuffer_size(size, rotation)
    driver = pygame.display.get_driver()
    if driver in ("x11", "wayland"):
        desktops = pygame.display.get_desktop_sizes()
        surface = pygame.display.set_mode(window_size(panel, desktops[0]) if desktops else panel)
    elif driver == "dummy":
        surface = pygame.display.set_mode(panel)
    else:
        surface = pygame.display.set_mode(panel, pygame.FULLSCREEN)
    pygame.display.set_caption("Totem")
    pygame.mouse.set_visible(False)
    return surface


def block_sdl_pointer() -> None:
    import pygame

    pygame.event.set_blocked(
        [
            pygame.MOUSEMOTION,
            pygame.MOUSEBUTTONDOWN,
            pygame.MOUSEBUTTONUP,
            pygame.MOUSEWHEEL,
            pygame.FINGERDOWN,
            pygame.FINGERUP,
            pygame.FINGERMOTION,
            pygame.MULTIGESTURE,
        ]
    )


class Presenter:
    """Puts the UI's frame (drawn at the citizen's size) on a panel mounted at `rotation`.

    The rotation matches the touch transform's (libinput convention): a 90° panel shows
    the frame turned a quarter counter-clockwise. Only the rectangles the UI repainted
    are turned and copied: turning a whole 1080×1920 frame costs ~15 ms on a PC.
    """

    def __init__(self, display, size: tuple[int, int], rotation: int):
        import pygame

        from appliance.ui.rotation import framebuffer_size

        self.display = display
        self.size = size
        self.rotation = rotation
        # A desktop window smaller than the panel: every frame is scaled into it, whole.
        self.scaled = display.get_size() != framebuffer_size(size, rotation)
        direct = rotation == 0 and not self.scaled
        self.canvas = display if direct else pygame.Surface(size).convert(display)

    def present(self, damage: list | None = None) -> None:
        """Show the frame; `damage` (rectangles the UI repainted, None: all) limits the copy."""
        import pygame

        from appliance.ui.rotation import present

        if self.scaled:
            if damage == []:
                return
            frame = present(self.canvas, self.rotation)
            pygame.transform.smoothscale(frame, self.display.get_size(), self.display)
            pygame.display.flip()
            return
        if damage is None:
            if self.rotation:
                self.display.blit(present(self.canvas, self.rotation), (0, 0))
            pygame.display.flip()
            return
        if not damage:
            return
        if self.rotation:
            turned = []
            for rect in damage:
                area = pygame.Rect(rect).clip(self.canvas.get_rect())
                if area.width and area.height:
                    part = present(self.canvas.subsurface(area), self.rotation)
                    target = self.panel_rect(area)
                    self.display.blit(part, target)
                    turned.append(target)
            damage = turned
        pygame.display.update(damage)

    def panel_rect(self, rect):
        """Where a rectangle of the citizen's frame lands on the panel."""
        import pygame

        x, y, w, h = rect
        width, height = self.size
        if self.rotation == 90:
            return pygame.Rect(y, width - x - w, h, w)
        if self.rotation == 180:
            return pygame.Rect(width - x - w, height - y - h, w, h)
        if self.rotation == 270:
            return pygame.Rect(height - y - h, x, h, w)
        return pygame.Rect(x, y, w, h)
