"""The pages the totem's browser shows in place of a site (French, large, with the way
back): a site the visit may not open, and an allowed site that does not answer. Pure."""

from __future__ import annotations

from html import escape

REFUSAL_TITLE = "Ce site n'est pas disponible sur la borne"
UNREACHABLE_TITLE = "Le site ne répond pas"
STYLE = """body{font-family:sans-serif;margin:10vh 8vw;font-size:28px;color:#1d3557}
h1{font-size:40px} button{font-size:32px;padding:24px 48px;margin-top:32px}
.url{color:#666;font-size:20px;word-break:break-all}"""
HOME_HINT = "<p>Le bouton « Accueil », en bas de l'écran, ramène à la borne.</p>"


def refusal_page(url: str) -> str:
    """The page shown in place of a refused one: why, and the way back."""
    return _page(
        REFUSAL_TITLE,
        "<p>La borne n'ouvre que les sites choisis par la mairie.</p>",
        url,
        '<button onclick="history.back()">Revenir à la page précédente</button>',
    )


def unreachable_page(url: str) -> str:
    """The page shown when an allowed site does not answer (network down, site down)."""
    return _page(
        UNREACHABLE_TITLE,
        "<p>Réessayez plus tard, ou demandez à l'accueil de la mairie.</p>",
        url,
    )


def _page(title: str, why: str, url: str, action: str = "") -> str:
    return (
        '<!doctype html><html lang="fr"><head><meta charset="utf-8">'
        f"<title>{title}</title><style>{STYLE}</style></head><body>"
        f'<h1>{title}</h1>{why}<p class="url">{escape(url[:300])}</p>{action}{HOME_HINT}'
        "</body></html>"
    )
