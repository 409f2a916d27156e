"""The technician's service menu in the UI: it opens over a citizen's session (wiped), shows
the totem's facts, audits what is done, and closes on removal, leaving or a timeout."""

from __future__ import annotations

from ui_citizen import Citizen

from appliance.said import Problem, Said
from appliance.service.facts import Check, Facts
from appliance.service.menu import IDLE_SECONDS, REFUSAL_SECONDS, ServiceMode
from appliance.service.visit import OPEN, Visit

VISIT = Visit("v1", OPEN, "sda1", "Camille Martin", "3f9c0a1b2d4e5f60", "2027-01-05T09:00:00Z")
FACTS = Facts(
    checked_at="2026-12-06T08:00:00+00:00",
    checks=(
        Check("touch", "ok", "", Said("Touch panel found.", "Dalle tactile trouvée.")),
        Check("storage.wear", "warn", "W-STO-WEAR", Said("Card worn.", "Carte usée.")),
    ),
    network=(Said("Network policy: applied", "Filtrage réseau : applied"),),
    pending=2,
    oldest_pending="2026-12-06T07:59:00Z",
    rejected=1,
    last_sent=None,
    release="0.1.0+10",
)


class Hook:
    """What the kiosk hears from the menu: (event, details) in order; pages get FACTS."""

    def __init__(self) -> None:
        self.heard: list[tuple[str, dict]] = []
        self.outcome: Said | None = None  # what a calibration comes to
        self.facts = FACTS  # what a page opened is given

    def __call__(self, event: str, details: dict):
        self.heard.append((event, details))
        return {"page": self.facts, "calibrate": self.outcome}.get(event)


def technician() -> tuple[Citizen, Hook]:
    hook = Hook()
    return Citizen(service_hook=hook), hook


def labels(citizen: Citizen) -> str:
    return " | ".join(w["label"] for w in citizen.widgets())


def test_a_valid_dongle_opens_the_menu_over_a_citizens_text_which_is_wiped():
    citizen, _ = technician()
    citizen.open_idea_keyboard()
    citizen.type("mon secret")
    citizen.app.open_service(ServiceMode(VISIT, Facts()))
    assert citizen.app.screen_name == "service"
    assert "mon secret" not in labels(citizen)
    assert citizen.find("text", "Camille Martin")["label"].endswith("3f9c0a1b2d4e5f60")
    assert citizen.find("text", "2027-01-05 09:00 UTC")
    citizen.tap("button", "Quitter la maintenance")
    citizen.tap("button", "commencer")
    citizen.tap("button", "Boîte à idées")
    assert not any(w["state"]["selected"] for w in citizen.widgets("option"))


def test_the_pages_show_checks_with_codes_the_network_and_counts_never_texts():
    citizen, hook = technician()
    citizen.app.open_service(ServiceMode(VISIT, Facts()))
    citizen.tap("button", "Diagnostic du matériel")
    assert hook.heard[-1] == ("page", {"page": "diagnostics", "visit": VISIT})
    assert citizen.find("text", "Carte usée. (W-STO-WEAR)")["label"].startswith("⚠")
    assert citizen.find("text", "Dalle tactile trouvée.")["label"].startswith("✔")
    citizen.tap("button", "Retour")
    citizen.tap("button", "Réseau")
    assert citizen.find("text", "Filtrage réseau : applied")
    citizen.tap("button", "Retour")
    citizen.tap("button", "Contributions en attente")
    assert citizen.find("text", "En attente d'envoi : 2")
    assert citizen.find("text", "Refusées par le hub : 1")
    assert citizen.find("text", "Dernier envoi reçu par le hub : aucune")


def test_home_leads_to_the_menu_not_to_the_citizens_screens():
    citizen, _ = technician()
    citizen.app.open_service(ServiceMode(VISIT, FACTS))
    citizen.tap("button", "Réseau")
    citizen.tap("button", "Accueil")
    assert citizen.app.screen_name == "service" and citizen.app.service.page == "menu"


def test_leaving_pulling_the_stick_and_waiting_each_close_the_menu_once():
    for close in ("left", "removed", "timeout"):
        citizen, hook = technician()
        citizen.app.open_service(ServiceMode(VISIT, FACTS))
        if close == "left":
            citizen.tap("button", "Quitter la maintenance")
        elif close == "removed":
            citizen.app.close_service("removed")
        else:
            citizen.wait(IDLE_SECONDS - 1)
            assert citizen.app.screen_name == "service"  # no citizen countdown here
            citizen.wait(2)
        assert citizen.app.screen_name == "attract" and citizen.app.service is None
        assert [e for e in hook.heard if e[0] == "closed"] == [
            ("closed", {"why": close, "visit": VISIT})
        ]


def test_an_out_of_service_totem_still_opens_the_menu_and_shows_the_problem_after():
    citizen, _ = technician()
    problem = Problem("E-TOUCH", Said("Touch stopped", "Lecture arrêtée"))
    citizen.app.set_out_of_service(problem)
    citizen.app.open_service(ServiceMode(VISIT, FACTS))
    assert citizen.app.screen_name == "service"
    citizen.app.set_out_of_service(problem)  # the kiosk's periodic re-check
    assert citizen.app.screen_name == "service"
    citizen.app.close_service("removed")
    assert citizen.app.screen_name == "out-of-service"


def test_a_refused_dongle_says_why_for_a_few_seconds_over_a_citizens_screen():
    citizen, _ = technician()
    citizen.open_idea_keyboard()
    citizen.type("mon idee")
    citizen.app.show_notice(Said("refused: expired", "Clé refusée : expirée"), REFUSAL_SECONDS)
    assert citizen.find("text", "Clé refusée : expirée")
    assert citizen.find("textbox", "idée")["state"]["value"] == "mon idee"  # nothing lost
    citizen.wait(REFUSAL_SECONDS + 0.1)
    assert "Clé refusée" not in labels(citizen)
    assert citizen.find("textbox", "idée")["state"]["value"] == "mon idee"


def test_the_service_screen_without_a_dongle_shows_nothing_of_a_menu():
    citizen, _ = technician()
    citizen.app.show_screen("service")
    assert [w["id"] for w in citizen.widgets("button") if not w["id"].startswith("bar-")] == []


def test_a_restart_is_asked_only_after_its_confirmation_page():
    citizen, hook = technician()
    citizen.app.open_service(ServiceMode(VISIT, FACTS))
    citizen.tap("button", "Redémarrer la borne")
    assert not [e for e in hook.heard if e[0] == "reboot"]
    citizen.tap("button", "Retour")
    citizen.tap("button", "Redémarrer la borne")
    citizen.tap("button", "Redémarrer maintenant")
    assert [e for e in hook.heard if e[0] == "reboot"] == [("reboot", {"visit": VISIT})]
    assert citizen.find("text", "Redémarrage en cours")


def test_calibration_takes_five_touches_wherever_they_land_then_shows_the_outcome():
    citizen, hook = technician()
    hook.outcome = Said("Calibration applied and kept.", "Calibrage appliqué et conservé.")
    citizen.app.open_service(ServiceMode(VISIT, FACTS))
    citizen.tap("button", "Calibrage tactile")
    aimed = citizen.app.calibration_targets()
    for n, (x, y) in enumerate(aimed, start=1):
        target = citizen.find("image", f"Cible {n} sur 5")
        tx, ty, tw, th = target["rect"]
        assert (tx + tw // 2, ty + th // 2) == (x, y)
        citizen.touch({"rect": [x + 30 - 1, y - 20 - 1, 2, 2]})  # a little off, as fingers are
    [(_, details)] = [e for e in hook.heard if e[0] == "calibrate"]
    assert details["aimed"] == aimed
    assert details["touches"] == [(x + 30, y - 20) for x, y in aimed]
    assert citizen.find("text", "Calibrage appliqué et conservé.")
    citizen.tap("button", "Réglage d'origine")
    assert [e[0] for e in hook.heard][-1] == "calibration-undo"
    citizen.tap("button", "Recommencer")
    assert citizen.find("image", "Cible 1 sur 5")


def test_the_back_button_of_the_calibration_still_works_while_touches_are_taken():
    citizen, hook = technician()
    citizen.app.open_service(ServiceMode(VISIT, FACTS))
    citizen.tap("button", "Calibrage tactile")
    citizen.tap("button", "Accueil")  # the toolbar stays a button, never a touch taken
    assert citizen.app.service.page == "menu"
    assert not [e for e in hook.heard if e[0] == "calibrate"]


def test_the_logs_export_is_asked_once_then_its_outcome_shown_on_its_page():
    citizen, hook = technician()
    citizen.app.open_service(ServiceMode(VISIT, FACTS))
    citizen.tap("button", "Exporter les journaux")
    citizen.tap("button", "Exporter sur la clé")
    assert [e for e in hook.heard if e[0] == "export"] == [("export", {"visit": VISIT})]
    assert citizen.find("text", "Export en cours")
    assert not [w for w in citizen.widgets("button") if w["label"] == "Exporter sur la clé"]
    citizen.app.show_service_outcome(Said("Logs copied", "Journaux copiés sur la clé"))
    assert citizen.find("text", "Journaux copiés sur la clé")


def test_the_install_from_the_stick_is_asked_once_shows_its_progress_then_the_restart():
    from appliance.runtime.servicedesk import install_said

    citizen, hook = technician()
    citizen.app.open_service(ServiceMode(VISIT, FACTS))
    citizen.tap("button", "Mise à jour depuis la clé")
    assert citizen.find("text", "plus récente que la version de la borne, 0.1.0+10")
    citizen.tap("button", "Installer depuis la clé")
    assert [e for e in hook.heard if e[0] == "install"] == [("install", {"visit": VISIT})]
    assert citizen.find("text", "Lecture de la clé")
    assert not [w for w in citizen.widgets("button") if "Installer" in w["label"]]
    answers = [
        {"state": "copying", "done_mb": 120},
        {"state": "checking"},
        {"state": "installing", "version": "0.1.0+11", "percent": 42},
    ]
    shown = []
    for answer in answers:
        said, busy, installed = install_said({"visit": "v1", "ok": None, **answer})
        assert busy and not installed
        citizen.app.show_install(said, busy=busy, installed=installed)
        shown.append(citizen.find("text", said.fr)["label"])
    assert shown == [
        "Copie depuis la clé : 120 Mo",
        "Vérification de la signature…",
        "Installation de la version 0.1.0+11 : 42 %",
    ]
    # The technician looks elsewhere meanwhile: the page still says where it stands.
    citizen.tap("button", "Retour")
    citizen.tap("button", "Mise à jour depuis la clé")
    assert citizen.find("text", "Installation de la version 0.1.0+11 : 42 %")
    said, busy, installed = install_said({"visit": "v1", "ok": True, "state": "installed",
                                          "version": "0.1.0+11"})  # fmt: skip
    citizen.app.show_install(said, busy=busy, installed=installed)
    assert citizen.find("text", "Version 0.1.0+11 installée")
    citizen.tap("button", "Redémarrer pour l'essayer")
    assert hook.heard[-1] == ("trial-restart", {"visit": VISIT, "release": "0.1.0+11"})
    assert citizen.find("text", "Redémarrage en cours")


def test_a_refused_install_says_why_and_may_be_asked_again():
    from appliance.runtime.servicedesk import install_said

    citizen, hook = technician()
    citizen.app.open_service(ServiceMode(VISIT, FACTS))
    citizen.tap("button", "Mise à jour depuis la clé")
    citizen.tap("button", "Installer depuis la clé")
    reason = Said("not installed: no .raucb file at the stick's root",
                  "non installée : pas de fichier .raucb à la racine de la clé")  # fmt: skip
    said, busy, installed = install_said(
        {"visit": "v1", "ok": False, "state": "failed", "reason": reason.as_json()}
    )
    assert (busy, installed) == (False, "")
    citizen.app.show_install(said, busy=busy, installed=installed)
    assert citizen.find("text", "Mise à jour impossible : non installée : pas de fichier .raucb")
    assert not [w for w in citizen.widgets("button") if "Redémarrer" in w["label"]]
    citizen.tap("button", "Installer depuis la clé")
    assert [e[0] for e in hook.heard].count("install") == 2


def test_a_replacement_panel_is_accepted_from_its_page_and_the_outcome_shown():
    from dataclasses import replace

    from appliance.runtime.servicedesk import outcome_said

    citizen, hook = technician()
    citizen.app.open_service(ServiceMode(VISIT, FACTS))
    citizen.tap("button", "Dalle tactile de remplacement")
    assert citizen.find("text", "Aucune nouvelle dalle tactile n'est branchée")
    hook.facts = replace(FACTS, panels=(("222a:0001", "1-2"),))
    citizen.tap("button", "Retour")
    citizen.tap("button", "Dalle tactile de remplacement")
    citizen.tap("button", "Accepter 222a:0001 (port 1-2)")
    assert hook.heard[-1] == ("panel", {"visit": VISIT, "ident": "222a:0001", "port": "1-2"})
    assert citizen.find("text", "Acceptation en cours")
    answer = {"visit": "v1", "ok": True, "ident": "222a:0001", "port": "1-2"}
    done = outcome_said(answer, "service.panel_accepted", "service.panel_failed", "ident", "port")
    citizen.app.show_service_outcome(done)
    assert citizen.find("text", "Dalle 222a:0001 acceptée sur le port 1-2.")
