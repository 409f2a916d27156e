"""The UI's own texts in every language it speaks; content texts come with the content.

French is the reference: a missing translation falls back to it, never to a key name.
"""

from __future__ import annotations

LANGUAGE_NAMES = {
    "fr": "Français",
    "en": "English",
    "de": "Deutsch",
    "es": "Español",
    "it": "Italiano",
    "ar": "العربية",
    "pt": "Português",
    "nl": "Nederlands",
}

TEXTS: dict[str, dict[str, str]] = {
    "fr": {
        "attract.title": "Participez à la vie de votre commune",
        "attract.body": "Déposez une idée, notez un service, donnez votre avis.",
        "attract.start": "Touchez l'écran pour commencer",
        "home.welcome": "Bienvenue",
        "home.ideas": "Boîte à idées",
        "home.ideas.hint": "Proposez une idée pour la commune",
        "home.rating": "Noter un service",
        "home.rating.hint": "Donnez votre avis sur un service",
        "home.consultation": "Consultations",
        "home.consultation.hint": "Votez sur les projets en consultation",
        "home.sites": "Sites utiles",
        "home.sites.hint": "Démarches et informations",
        "home.privacy": "Vos données et la confidentialité",
        "bar.home": "Accueil",
        "bar.language": "Langue",
        "bar.text_size": "Taille du texte",
        "bar.contrast": "Contraste",
        "bar.low_reach": "Position basse",
        "flow.next": "Suivant",
        "flow.back": "Retour",
        "flow.send": "Envoyer",
        "flow.validate": "Valider",
        "flow.confirm": "Confirmer",
        "flow.skip": "Passer",
        "flow.edit": "Modifier",
        "flow.home": "Retour à l'accueil",
        "ideas.category": "Votre idée concerne…",
        "ideas.text": "Écrivez votre idée",
        "ideas.textbox": "Votre idée",
        "ideas.review": "Vérifiez votre idée",
        "ideas.review.hint": "Elle sera transmise anonymement à la mairie.",
        "rating.service": "Quel service voulez-vous noter ?",
        "rating.stars": "Votre note",
        "rating.star.one": "1 étoile sur 5",
        "rating.star.many": "{n} étoiles sur 5",
        "rating.comment": "Un commentaire ? (facultatif)",
        "rating.textbox": "Votre commentaire",
        "rating.review": "Vérifiez votre avis",
        "rating.summary": "{service} : {n} sur 5",
        "consultation.list": "Consultations en cours",
        "consultation.voted": "déjà voté",
        "consultation.none": "Aucune consultation en cours pour le moment.",
        "consultation.choose": "Votre réponse",
        "consultation.code": "Code de vote (sur votre courrier)",
        "consultation.code.textbox": "Code de vote",
        "consultation.once": "Un seul vote par personne et par consultation.",
        "sites.title": "Sites utiles",
        "sites.soon": "L'ouverture des sites sur la borne arrive bientôt. Adresse : {url}",
        "thanks.title": "Merci !",
        "thanks.idea": "Votre idée a bien été enregistrée. Les services de la mairie la liront.",
        "thanks.rating": "Votre avis a bien été enregistré. Il aide la mairie à s'améliorer.",
        "thanks.vote": "Votre vote a bien été enregistré.",
        "thanks.receipt": "Reçu n° {receipt}",
        "sorry.title": "Désolé, l'envoi n'a pas pu se faire",
        "sorry.body": "La borne ne peut pas enregistrer pour l'instant. Rien de ce qui a déjà "
        "été envoyé n'est perdu. Veuillez réessayer plus tard ou vous adresser à l'accueil.",
        "privacy.title": "Vos données",
        "privacy.body": "Cette borne ne vous demande ni nom ni compte. Vos idées, avis et votes "
        "sont transmis à la mairie sans information sur vous.\n"
        "Rien de ce que vous tapez ne reste à l'écran : après une minute sans activité, "
        "tout est effacé.\n"
        "Les contributions sont conservées par la mairie pour traiter vos demandes. "
        "Pour toute question, adressez-vous à l'accueil.",
        "oos.title": "Borne hors service",
        "oos.body": "Cette borne est momentanément indisponible. Merci de vous adresser à "
        "l'accueil de la mairie.",
        "oos.code": "Code pour le technicien : {code}",
        "idle.title": "Êtes-vous toujours là ?",
        "idle.body": "Tout sera effacé dans {n} s.",
        "idle.continue": "Continuer",
        "key.space": "espace",
        "key.backspace": "effacer",
        "key.shift": "majuscule",
        "key.digits": "chiffres",
        "key.letters": "lettres",
        "key.accents": "accents de {letter}",
        "key.close": "fermer",
        "step": "Étape {n} sur {total}",
        "list.previous": "Choix précédents",
        "list.more": "Autres choix",
    },
    "en": {
        "attract.title": "Take part in your town's life",
        "attract.body": "Share an idea, rate a service, give your opinion.",
        "attract.start": "Touch the screen to start",
        "home.welcome": "Welcome",
        "home.ideas": "Idea box",
        "home.ideas.hint": "Suggest an idea for the town",
        "home.rating": "Rate a service",
        "home.rating.hint": "Tell us about a service",
        "home.consultation": "Consultations",
        "home.consultation.hint": "Vote on projects under consultation",
        "home.sites": "Useful sites",
        "home.sites.hint": "Procedures and information",
        "home.privacy": "Your data and privacy",
        "bar.home": "Home",
        "bar.language": "Language",
        "bar.text_size": "Text size",
        "bar.contrast": "Contrast",
        "bar.low_reach": "Low reach",
        "flow.next": "Next",
        "flow.back": "Back",
        "flow.send": "Send",
        "flow.validate": "Validate",
        "flow.confirm": "Confirm",
        "flow.skip": "Skip",
        "flow.edit": "Change",
        "flow.home": "Back to home",
        "ideas.category": "Your idea is about…",
        "ideas.text": "Write your idea",
        "ideas.textbox": "Your idea",
        "ideas.review": "Check your idea",
        "ideas.review.hint": "It will be sent anonymously to the town hall.",
        "rating.service": "Which service do you want to rate?",
        "rating.stars": "Your rating",
        "rating.star.one": "1 star out of 5",
        "rating.star.many": "{n} stars out of 5",
        "rating.comment": "A comment? (optional)",
        "rating.textbox": "Your comment",
        "rating.review": "Check your rating",
        "rating.summary": "{service}: {n} out of 5",
        "consultation.list": "Open consultations",
        "consultation.voted": "already voted",
        "consultation.none": "No consultation is open at the moment.",
        "consultation.choose": "Your answer",
        "consultation.code": "Voting code (on your letter)",
        "consultation.code.textbox": "Voting code",
        "consultation.once": "One vote per person and per consultation.",
        "sites.title": "Useful sites",
        "sites.soon": "Opening sites on the kiosk is coming soon. Address: {url}",
        "thanks.title": "Thank you!",
        "thanks.idea": "Your idea has been recorded. The town hall's services will read it.",
        "thanks.rating": "Your rating has been recorded. It helps the town hall improve.",
        "thanks.vote": "Your vote has been recorded.",
        "thanks.receipt": "Receipt no. {receipt}",
        "sorry.title": "Sorry, this could not be sent",
        "sorry.body": "The kiosk cannot record anything right now. Nothing already sent is "
        "lost. Please try again later or ask at the reception desk.",
        "privacy.title": "Your data",
        "privacy.body": "This kiosk never asks for your name or an account. Your ideas, ratings "
        "and votes reach the town hall without any information about you.\n"
        "Nothing you type stays on screen: after one minute without activity, everything "
        "is wiped.\n"
        "The town hall keeps contributions to act on them. For any question, ask at the "
        "reception desk.",
        "oos.title": "Kiosk out of service",
        "oos.body": "This kiosk is temporarily unavailable. Please ask at the town hall's "
        "reception desk.",
        "oos.code": "Code for the technician: {code}",
        "idle.title": "Are you still there?",
        "idle.body": "Everything will be wiped in {n} s.",
        "idle.continue": "Continue",
        "key.space": "space",
        "key.backspace": "backspace",
        "key.shift": "shift",
        "key.digits": "digits",
        "key.letters": "letters",
        "key.accents": "accents of {letter}",
        "key.close": "close",
        "step": "Step {n} of {total}",
        "list.previous": "Previous choices",
        "list.more": "More choices",
    },
}


def tr(lang: str, key: str, **values: object) -> str:
    """The UI text `key` in `lang`, French when that language lacks it."""
    text = TEXTS.get(lang, {}).get(key) or TEXTS["fr"][key]
    return text.format(**values) if values else text


def language_name(lang: str) -> str:
    return LANGUAGE_NAMES.get(lang, lang.upper())
