"""What the town hall answers to an idea: where it stands (reçue … réalisée) and, when an
agent writes one, a short public answer that the kiosks show on their "Idées retenues"
screen, so a citizen who comes back sees their idea was read.

An idea nobody answered yet is "reçue". Setting an answer signs the content again (see
`content.republish`), which the kiosks fetch at their next sync.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine, delete, insert, select

from hub.schema import idea_answers, submissions
from wire.content import ANSWER_MAX_CHARS, IDEA_STATUSES

# The agents' words for each status, in the order an idea goes through them.
LABELS = {
    "recue": "Reçue",
    "etude": "À l'étude",
    "retenue": "Retenue",
    "realisee": "Réalisée",
    "non-retenue": "Non retenue",
}
assert tuple(LABELS) == IDEA_STATUSES
DEFAULT = "recue"
# How many answered ideas the kiosks carry: the newest, chosen ones first.
PUBLIC_MAX = 50
# Chosen and done ideas first on the kiosk: they are what makes a citizen come back.
_PUBLIC_ORDER = {"realisee": 0, "retenue": 1, "etude": 2, "non-retenue": 3, "recue": 4}


# The town hall's own calendar day, whatever the server's time zone (as on the agents' pages).
PARIS = ZoneInfo("Europe/Paris")


class AnswerRefused(ValueError):
    """A status or answer the hub does not accept, said in French for the agent."""


@dataclass(frozen=True)
class Answer:
    status: str
    answer: str
    updated_at: int
    updated_by: str


def set_answer(
    engine: Engine, idea_id: str, status: str, answer: str, agent: str, now: int
) -> None:
    """Record `status` and public `answer` ("" for none) for idea `idea_id`."""
    if status not in LABELS:
        raise AnswerRefused(f"Statut inconnu : {status!r}.")
    answer = answer.strip().replace("\r\n", "\n")
    if len(answer) > ANSWER_MAX_CHARS:
        raise AnswerRefused(
            f"La réponse fait {len(answer)} caractères ; {ANSWER_MAX_CHARS} au plus, "
            "pour qu'elle se lise debout devant la borne."
        )
    with engine.begin() as connection:
        kind = connection.execute(
            select(submissions.c.kind).where(submissions.c.id == idea_id)
        ).scalar()
        if kind != "idea":
            raise AnswerRefused("Cette idée n'existe pas.")
        # Delete then insert, in one transaction: the same on SQLite and PostgreSQL.
        connection.execute(delete(idea_answers).where(idea_answers.c.idea_id == idea_id))
        connection.execute(
            insert(idea_answers).values(
                idea_id=idea_id, status=status, answer=answer, updated_at=now, updated_by=agent
            )
        )


def answers(connection: Connection) -> dict[str, Answer]:
    """Every idea's answer, by idea id (ideas missing here are "reçue", unanswered)."""
    return {
        row.idea_id: Answer(row.status, row.answer, row.updated_at, row.updated_by)
        for row in connection.execute(select(idea_answers))
    }


def status_of(known: dict[str, Answer], idea_id: str) -> str:
    found = known.get(idea_id)
    return found.status if found else DEFAULT


def public_answers(connection: Connection) -> list[dict[str, Any]]:
    """The ideas with a public answer, as the content's `answers` section carries them."""
    query = (
        select(submissions.c.payload, idea_answers)
        .join(idea_answers, idea_answers.c.idea_id == submissions.c.id)
        .where(idea_answers.c.answer != "")
    )
    rows = sorted(connection.execute(query), key=lambda r: (_PUBLIC_ORDER[r.status], -r.updated_at))
    public = []
    for row in rows[:PUBLIC_MAX]:
        text = str(json.loads(row.payload).get("text", "")).strip()
        if text:
            public.append(
                {
                    "text": _sentence(text)[:ANSWER_MAX_CHARS],
                    "status": row.status,
                    "answer": row.answer,
                    "date": datetime.fromtimestamp(row.updated_at, UTC)
                    .astimezone(PARIS)
                    .date()
                    .isoformat(),
                }
            )
    return public


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]
