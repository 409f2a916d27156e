"""Screenshots of the agents' pages: `python -m hub.screenshots docs/screenshots`.

Fills a temporary hub with a morning's worth of demo submissions, renders each page for a
logged-in agent, and has headless Chromium photograph it at phone and desktop widths.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import uuid
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hub import agents, store, votecodes
from hub.app import create_app
from hub.database import open_engine
from hub.validation import parse_item
from wire.protocol import public_key_b64

PAGES = {
    "idees": "/",
    "services": "/services",
    "consultations": "/consultations",
    "bornes": "/bornes",
    "connexion": "/login",
}
SIZES = {"phone": (412, 915), "desktop": (1280, 900)}
IDEAS = [
    ("cadre-de-vie", "Installer plus de bancs dans le parc"),
    ("cadre-de-vie", "Ajouter des bancs au parc"),
    ("cadre-de-vie", "Mettre des bancs supplémentaires dans le parc municipal"),
    ("mobilite", "Créer une piste cyclable rue de la République"),
    ("mobilite", "Une vraie piste cyclable sur la rue de la République"),
    ("jeunesse-culture", "Ouvrir la médiathèque le dimanche"),
    ("cadre-de-vie", "Planter des arbres dans la cour de l'école"),
    ("mobilite", "Plus de bus le dimanche"),
    ("jeunesse-culture", "Créer un skatepark près du stade"),
]
RATINGS = (
    [("cantine", s) for s in (5, 4, 4, 3, 5, 2, 4)]
    + [("etat-civil", s) for s in (5, 5, 4, 1)]
    + [("proprete", s) for s in (2, 3, 1, 2, 3)]
)
VOTES = ["oui"] * 14 + ["non"] * 9 + ["sans-avis"] * 3


def _item(kiosk: str, kind: str, payload: dict) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "kind": kind,
        "kiosk_id": kiosk,
        "created_at": datetime.now(UTC).isoformat(),
        "content_version": "demo-1",
        "payload": payload,
    }


def fill(engine) -> None:
    for kiosk in ("mairie-accueil", "mediatheque", "gymnase"):
        store.enrol(
            engine,
            store.create_kiosk_token(engine),
            kiosk,
            public_key_b64(Ed25519PrivateKey.generate()),
        )
    raw = [_item("mairie-accueil", "idea", {"text": t, "category": c}) for c, t in IDEAS]
    raw += [_item("mediatheque", "rating", {"service": s, "stars": n}) for s, n in RATINGS]
    raw += [
        _item("mairie-accueil", "vote", {"consultation": "place-du-marche", "choice": c})
        for c in VOTES
    ]
    codes = votecodes.issue_codes(engine, "horaires-mediatheque", 40)
    raw += [
        _item(
            "mediatheque",
            "vote",
            {"consultation": "horaires-mediatheque", "choice": choice, "code": code},
        )
        for choice, code in zip(
            ["soir"] * 9 + ["dimanche"] * 6 + ["midi"] * 2, codes[:17], strict=True
        )
    ]
    store.store_batch(engine, [parse_item(r, r["kiosk_id"]) for r in raw])
    store.record_heartbeat(
        engine,
        "mairie-accueil",
        {"version": "0.1.0", "uptime_s": 86400, "outbox_depth": 0, "checks": []},
    )
    store.record_heartbeat(
        engine,
        "mediatheque",
        {
            "version": "0.1.0",
            "uptime_s": 3600,
            "outbox_depth": 0,
            "checks": [
                {"name": "storage", "status": "warn", "message": {"fr": "Carte SD remplie à 91 %"}}
            ],
        },
    )


def render_pages(engine, out: Path) -> dict[str, Path]:
    agents.set_agent(engine, "agent", "mot de passe de démonstration")
    app = create_app(engine)
    client = app.test_client()
    login_page = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf" value="([^"]+)"', login_page).group(1)
    files = {"connexion": out / "connexion.html"}
    files["connexion"].write_text(login_page, encoding="utf-8")
    client.post(
        "/login", data={"login": "agent", "password": "mot de passe de démonstration", "csrf": csrf}
    )
    css = Path(__file__).with_name("static") / "hub.css"
    for name, path in PAGES.items():
        if name == "connexion":
            continue
        files[name] = out / f"{name}.html"
        files[name].write_text(client.get(path).get_data(as_text=True), encoding="utf-8")
    for file in files.values():
        html = file.read_text(encoding="utf-8").replace("/static/hub.css", css.as_uri())
        file.write_text(html, encoding="utf-8")
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hub.screenshots", description=__doc__)
    parser.add_argument("out_dir", nargs="?", default="docs/screenshots")
    args = parser.parse_args(argv)
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        print(
            "hub.screenshots: chromium is not installed (apt-get install chromium)", file=sys.stderr
        )
        return 1
    out_dir = Path(args.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="totem-hub-shots-") as tmp:
        engine = open_engine(f"sqlite:///{Path(tmp) / 'hub.sqlite3'}")
        fill(engine)
        files = render_pages(engine, Path(tmp))
        for name, file in files.items():
            for size_name, (width, height) in SIZES.items():
                target = (out_dir / f"hub-{name}-{size_name}.png").resolve()
                subprocess.run(
                    [
                        browser,
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-background-networking",
                        "--disable-extensions",
                        "--disable-sync",
                        "--no-first-run",
                        "--hide-scrollbars",
                        f"--user-data-dir={Path(tmp) / 'chromium'}",
                        f"--window-size={width},{height}",
                        f"--screenshot={target}",
                        file.as_uri(),
                    ],
                    check=True,
                    capture_output=True,
                    timeout=120,
                )
                print(target)
        engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
