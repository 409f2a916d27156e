"""The browser of one site visit: Debian's WebKitGTK in a window that fills cage's screen.

Started by the kiosk for a tile (under cage, which owns the display while the kiosk has let
it go), it shows the tile's site above a bar the citizen can always reach ("Accueil"), and
enforces the visit's policy (sites/policy.py) inside the engine:

- every navigation is checked (decide-policy): a refused page shows "Ce site n'est pas
  disponible sur la borne" with a way back; a link opening a new window opens in this one
  when it is allowed, never in a window of its own; a response the engine cannot show (a
  download) is dropped;
- every sub-resource (script, frame, image, request, web socket) of any other host is
  blocked by WebKit content-blocker rules compiled from the same policy;
- the session is ephemeral (cookies, storage, cache in memory only) and the little the
  engine writes goes under --profile, a directory on tmpfs the kiosk deletes afterwards;
- no context menu, printing, developer tools, or permission (camera, microphone,
  location, notifications): all refused.

It runs under Debian's python3 with python3-gi (the kiosk's venv has no GTK). The kiosk
talks to it on stdin, one order per line (`countdown N`, `continue`, `close`), and it says
what happens on stdout, one JSON object per line: {"event": "shown"|"loaded"|"refused"|
"refusal-shown"|"unreachable-shown"|"keyboard"|"home"|"closed"|"crashed", ...}; the last
of home/closed/crashed says how the visit ended. While a text field of the page has the
focus, the kiosk's AZERTY keyboard (sites/keys.py) shows between the page and the bar.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from pathlib import Path

import gi

gi.require_version("Gtk", "4.0")
gi.require_version("WebKit", "6.0")
from gi.repository import Gio, GLib, Gtk, WebKit  # noqa: E402

from appliance.sites import keys, screen  # noqa: E402
from appliance.sites.pages import refusal_page, unreachable_page  # noqa: E402
from appliance.sites.policy import SitePolicy  # noqa: E402
from appliance.sites.typing import FOCUS_SCRIPT, MESSAGE_HANDLER, TYPING, key_script  # noqa: E402

WEB_SCHEMES = ("https:", "http:", "wss:", "ws:")
STYLE = b"""
.totem-bar { background: #1d3557; padding: 8px 16px; }
.totem-bar button { min-height: 72px; min-width: 220px; font-size: 28px; font-weight: bold;
  background: #ffd166; background-image: none; color: #1d3557; }
.totem-bar > label { color: white; font-size: 24px; }
.totem-countdown { color: #ffd166; font-weight: bold; }
""" + keys.STYLE.encode()


class Visit:
    def __init__(self, url: str, policy: SitePolicy, name: str, profile: Path, ca_bundle: str):
        self.url = url
        self.policy = policy
        self.profile = profile
        self.shown = False  # the first page was drawn
        self.failed = False  # the load under way failed: its FINISHED shows nothing new
        self._orders = b""  # what the kiosk wrote, up to its last full line
        self.in_place_of: tuple[str, str] | None = None  # (page shown, address it replaces)
        self.loop = GLib.MainLoop()
        self.town_hall_ca = Gio.TlsFileDatabase.new(ca_bundle) if ca_bundle else None

        session = WebKit.NetworkSession.new_ephemeral()
        session.connect("download-started", self._download)
        self.session = session
        self.content = WebKit.UserContentManager()
        # The page says when a text field has the focus: the kiosk's keyboard shows then.
        self.content.add_script(
            WebKit.UserScript.new(
                FOCUS_SCRIPT,
                WebKit.UserContentInjectedFrames.TOP_FRAME,
                WebKit.UserScriptInjectionTime.END,
                None,
                None,
            )
        )
        self.content.register_script_message_handler(MESSAGE_HANDLER, None)
        self.content.connect(f"script-message-received::{MESSAGE_HANDLER}", self._focus_said)
        self.view = WebKit.WebView(
            network_session=session,
            user_content_manager=self.content,
            settings=_settings(),
        )
        for event, handler in (
            ("decide-policy", self._decide),
            ("create", self._new_window),
            ("context-menu", lambda *_: True),
            ("print", lambda *_: True),
            ("permission-request", self._permission),
            ("load-changed", self._load_changed),
            ("load-failed", self._load_failed),
            ("load-failed-with-tls-errors", self._tls_errors),
            ("web-process-terminated", self._crashed),
        ):
            self.view.connect(event, handler)
        self.view.set_vexpand(True)

        self.countdown = Gtk.Label(label="")
        self.countdown.add_css_class("totem-countdown")
        home = Gtk.Button(label="⌂ Accueil")
        home.connect("clicked", lambda _: self.end("home"))
        bar = Gtk.CenterBox()
        bar.add_css_class("totem-bar")
        bar.set_start_widget(home)
        bar.set_center_widget(Gtk.Label(label=name))
        bar.set_end_widget(self.countdown)
        self.keyboard = keys.KeyboardPanel(self._type)
        box = Gtk.Box(orientation=Gtk.Orientation.VERTICAL)
        box.append(self.view)
        box.append(self.keyboard.widget)
        box.append(bar)

        css = Gtk.CssProvider()
        if hasattr(css, "load_from_string"):  # GTK 4.12 and later (Debian 13)
            css.load_from_string(STYLE.decode())
        else:  # GTK 4.8 (Debian 12, the build host's tests)
            css.load_from_data(STYLE)
        self.window = Gtk.Window(title=name, decorated=False)
        Gtk.StyleContext.add_provider_for_display(
            self.window.get_display(), css, Gtk.STYLE_PROVIDER_PRIORITY_APPLICATION
        )
        self.window.set_child(box)
        self.window.connect("close-request", self._close_request)

    # -- start and end ----------------------------------------------------------------
    def run(self) -> int:
        store = WebKit.UserContentFilterStore.new(str(self.profile / "content-filters"))
        rules = json.dumps(self.policy.content_rules()).encode()
        store.save("visit", GLib.Bytes.new(rules), None, self._filters_ready)
        GLib.io_add_watch(sys.stdin.fileno(), GLib.IO_IN | GLib.IO_HUP, self._order)
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, self.end, "closed")
        self.window.fullscreen()
        self.window.present()
        self.loop.run()
        return 0  # how the visit ended is its last event: cage does not pass a status on

    def _filters_ready(self, store, result) -> None:
        try:
            self.content.add_filter(store.save_finish(result))
        except GLib.Error as error:  # no rules, no visit: the kiosk shows its own screen
            say("crashed", reason=f"content rules refused: {error.message}")
            self.loop.quit()
            return
        self.view.load_uri(self.url)

    def end(self, why: str) -> bool:
        if self.loop.is_running():
            say(why)
            self.loop.quit()
        return GLib.SOURCE_REMOVE

    def _close_request(self, window) -> bool:
        self.end("closed")
        return True  # the loop's end closes it: GTK need not

    def _order(self, fd, condition) -> bool:
        # The fd itself, not sys.stdin: a buffered reader would keep the orders that came
        # together with the first one, and the watch would not wake for them.
        chunk = os.read(fd, 4096) if condition & GLib.IO_IN else b""
        if not chunk:  # the kiosk is gone: so is the visit
            self.end("closed")
            return GLib.SOURCE_REMOVE
        self._orders += chunk
        while b"\n" in self._orders:
            line, _, self._orders = self._orders.partition(b"\n")
            order, _, value = line.decode(errors="replace").strip().partition(" ")
            if order == "countdown" and value.isdigit():
                self.countdown.set_label(f"Retour à l'accueil dans {value} s — touchez pour rester")
            elif order == "continue":
                self.countdown.set_label("")
            elif order == "close":
                self.end("closed")
                return GLib.SOURCE_REMOVE
        return GLib.SOURCE_CONTINUE

    # -- typing ------------------------------------------------------------------------
    def _focus_said(self, manager, value) -> None:
        typing = value.to_string() == TYPING
        if typing != self.keyboard.widget.get_visible():
            self.keyboard.show(typing)
            say("keyboard", shown=typing)

    def _type(self, key: str) -> None:
        self.view.evaluate_javascript(key_script(key), -1, None, None, None, None, None)

    def _crashed(self, view, reason) -> None:
        say("crashed", reason=reason.value_nick)
        self.loop.quit()

    # -- what may load ---------------------------------------------------------------
    def _decide(self, view, decision, kind) -> bool:
        if kind == WebKit.PolicyDecisionType.RESPONSE:
            if not decision.is_mime_type_supported():
                uri = decision.get_request().get_uri()
                say("refused", url=uri, reason="a download is not kept on the totem")
                decision.ignore()
                return True
            return False
        action = decision.get_navigation_action()
        uri = action.get_request().get_uri()
        why = self.policy.refusal(uri)
        if why is not None:
            say("refused", url=uri, reason=why)
        if kind == WebKit.PolicyDecisionType.NEW_WINDOW_ACTION:
            decision.ignore()  # the totem has one window: an allowed link opens in it
            if why is None:
                view.load_uri(uri)
            elif action.is_user_gesture():
                self._show_refusal(uri)
            return True
        if why is not None and not uri.lower().startswith(WEB_SCHEMES):
            decision.ignore()  # file:, data:, blob: pages... never open, the page stays
            return True
        # A web address outside the policy goes on to the content-blocker rules, which stop
        # it: for the page itself, load-failed then shows why; a frame or image just stays
        # empty (WebKit tells no frame from the page here).
        return False

    def _load_failed(self, view, event, uri, error) -> bool:
        interrupted = WebKit.PolicyError.FRAME_LOAD_INTERRUPTED_BY_POLICY_CHANGE
        if error.matches(WebKit.NetworkError.quark(), WebKit.NetworkError.CANCELLED) or (
            error.matches(WebKit.PolicyError.quark(), interrupted)
        ):
            return False  # a load replaced by another one, or a download dropped
        self.failed = True
        if self.policy.refusal(uri) is not None:
            self._show_refusal(uri)
        else:
            say("unreachable", url=uri, reason=error.message)
            self.in_place_of = ("unreachable-shown", uri)
            view.load_alternate_html(unreachable_page(uri), uri, None)
        return True

    def _show_refusal(self, uri: str) -> None:
        self.in_place_of = ("refusal-shown", uri)
        self.view.load_alternate_html(refusal_page(uri), uri, None)

    def _new_window(self, view, action):
        say("refused", url=action.get_request().get_uri(), reason="no new window on the totem")
        return None

    def _download(self, session, download) -> None:
        download.cancel()

    def _permission(self, view, request) -> bool:
        request.deny()
        return True

    def _tls_errors(self, view, uri, certificate, errors) -> bool:
        """A site of the town hall's own CA ([hub] ca_bundle) is trusted like the hub is;
        any other certificate error ends on the refusal page."""
        self.failed = True
        host = GLib.Uri.parse(uri, GLib.UriFlags.NONE).get_host()
        if self.town_hall_ca is not None and errors == Gio.TlsCertificateFlags.UNKNOWN_CA:
            identity = Gio.NetworkAddress.new(host, 443)
            verdict = self.town_hall_ca.verify_chain(
                certificate,
                Gio.TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER,
                identity,
                None,
                Gio.TlsDatabaseVerifyFlags.NONE,
                None,
            )
            if verdict == 0:
                self.session.allow_tls_certificate_for_host(certificate, host)
                view.load_uri(uri)
                return True
        say("refused", url=uri, reason=f"certificate not trusted ({int(errors)})")
        self._show_refusal(uri)
        return True

    def _load_changed(self, view, event) -> None:
        if event != WebKit.LoadEvent.FINISHED:
            return
        if self.failed:  # the end of a load that failed: what replaces it comes next
            self.failed = False
            return
        if self.in_place_of is not None and view.get_uri() == self.in_place_of[1]:
            kind, url = self.in_place_of
            self.in_place_of = None
            say(kind, url=url)
            return
        if not self.shown:
            self.shown = True
            say("shown", url=view.get_uri())
        say("loaded", url=view.get_uri(), title=view.get_title() or "")


def _settings() -> WebKit.Settings:
    settings = WebKit.Settings()
    settings.set_enable_developer_extras(False)
    settings.set_javascript_can_open_windows_automatically(False)
    settings.set_allow_file_access_from_file_urls(False)
    settings.set_allow_universal_access_from_file_urls(False)
    settings.set_enable_media_stream(False)
    settings.set_enable_webrtc(False)
    settings.set_enable_back_forward_navigation_gestures(False)
    return settings


def say(event: str, **details) -> None:
    print(json.dumps({"event": event, **details}, ensure_ascii=False), flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m appliance.sites.browser")
    parser.add_argument("--url", required=True)
    parser.add_argument("--allow", action="append", default=[], help="a [network] allow entry")
    parser.add_argument("--name", default="", help="the tile's name, shown in the bar")
    parser.add_argument("--profile", required=True, type=Path, help="the visit's directory")
    parser.add_argument("--ca-bundle", default="", help="the town hall's CA ([hub] ca_bundle)")
    parser.add_argument("--rotation", type=int, default=0, help="the panel's (display.rotation)")
    args = parser.parse_args(argv)
    policy = SitePolicy.for_tile(args.url, args.allow, args.name or "site")
    args.profile.mkdir(mode=0o700, exist_ok=True)
    try:
        # Before the window exists, so it is laid out once, in the citizen's orientation.
        screen.turn(args.rotation)
    except screen.ScreenError as error:
        print(f"browser: {error}", file=sys.stderr, flush=True)  # the site shows, unturned
    Gtk.init()
    return Visit(args.url, policy, args.name, args.profile, args.ca_bundle).run()


if __name__ == "__main__":
    sys.exit(main())
