"""Single-use voting codes and the ballot box, kept apart (CNIL: voters' list ≠ ballot box).

- A code is stored only as a hash, with a `burnt` flag: no time, no kiosk, no ballot id.
- A ballot is stored with a random id, the consultation, the choice and the day only.
- Burning the code and dropping the ballot happen in one transaction, so a code is never
  burnt without its ballot counted nor a ballot counted twice for one code.
Nothing written links a ballot to the code that allowed it; see hub/README.md.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, case, func, insert, select, update

from hub.schema import ballot_refusals, ballots, vote_codes

# Unambiguous letters and digits for printed codes (no 0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10  # 31^10 ≈ 8e14: guessing one of a town's codes is hopeless


class CodeRefused(ValueError):
    """A vote whose code is missing, unknown or already used."""


def normalise(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def code_hash(consultation: str, code: str) -> str:
    return hashlib.sha256(f"{consultation}\0{normalise(code)}".encode()).hexdigest()


def issue_codes(engine: Engine, consultation: str, count: int) -> list[str]:
    """`count` fresh codes for `consultation`; only their hashes are kept."""
    codes = [
        "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH)) for _ in range(count)
    ]
    with engine.begin() as connection:
        connection.execute(
            insert(vote_codes),
            [
                {
                    "code_hash": code_hash(consultation, c),
                    "consultation": consultation,
                    "burnt": False,
                }
                for c in codes
            ],
        )
    return [f"{c[:5]}-{c[5:]}" for c in codes]


def requires_code(connection: Connection, consultation: str) -> bool:
    """A consultation needs codes once the town hall has issued codes for it."""
    query = select(vote_codes.c.code_hash).where(vote_codes.c.consultation == consultation)
    return connection.execute(query.limit(1)).first() is not None


def cast_ballot(connection: Connection, consultation: str, choice: str, code: str) -> None:
    """Burn `code` and drop the ballot, inside the caller's transaction; CodeRefused if not."""
    burnt = connection.execute(
        update(vote_codes)
        .where(vote_codes.c.code_hash == code_hash(consultation, code))
        .where(vote_codes.c.consultation == consultation)
        .where(vote_codes.c.burnt.is_(False))
        .values(burnt=True)
    )
    day = datetime.now(UTC).date().isoformat()
    if burnt.rowcount != 1:
        # Kept in the caller's transaction: the refusal is counted exactly when the
        # submission is answered "rejected" (a retried batch rolls both back).
        connection.execute(
            insert(ballot_refusals).values(
                refusal_id=secrets.token_hex(16), consultation=consultation, day=day
            )
        )
        raise CodeRefused("the voting code is unknown or already used")
    connection.execute(
        insert(ballots).values(
            ballot_id=secrets.token_hex(16), consultation=consultation, choice=choice, day=day
        )
    )


def ballot_counts(connection: Connection) -> dict[str, dict[str, int]]:
    """{consultation: {choice: ballots}} for coded votes."""
    query = select(ballots.c.consultation, ballots.c.choice, func.count()).group_by(
        ballots.c.consultation, ballots.c.choice
    )
    counts: dict[str, dict[str, int]] = {}
    for consultation, choice, n in connection.execute(query):
        counts.setdefault(consultation, {})[choice] = n
    return counts


def refusal_counts(connection: Connection) -> dict[str, int]:
    """{consultation: ballots refused for an unknown or already used code}."""
    query = select(ballot_refusals.c.consultation, func.count()).group_by(
        ballot_refusals.c.consultation
    )
    return dict(connection.execute(query).all())


def coded_consultations(connection: Connection) -> set[str]:
    """The consultations the town hall issued codes for: those are votes, the rest polls."""
    return set(connection.execute(select(vote_codes.c.consultation).distinct()).scalars())


def code_counts(connection: Connection) -> dict[str, tuple[int, int]]:
    """{consultation: (codes issued, codes used)}."""
    used = func.sum(case((vote_codes.c.burnt.is_(True), 1), else_=0))
    query = select(vote_codes.c.consultation, func.count(), used).group_by(
        vote_codes.c.consultation
    )
    return {c: (issued, int(used or 0)) for c, issued, used in connection.execute(query)}
