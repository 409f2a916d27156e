"""Town-hall agents who may read the submissions: logins with hashed passwords.

Passwords are hashed by Werkzeug (scrypt, salted); the session cookie is signed with a
random secret kept in the database, so sessions survive a restart of the hub.
"""

from __future__ import annotations

import secrets as random

from sqlalchemy import Engine, insert, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from hub.database import reading
from hub.schema import agents, secrets

MIN_PASSWORD = 10
# Compared against when the login is unknown, so both answers take the same time.
_DUMMY_HASH = generate_password_hash("not a real password")


def set_agent(engine: Engine, login: str, password: str) -> None:
    """Create the agent or change their password."""
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"the password must have at least {MIN_PASSWORD} characters")
    hashed = generate_password_hash(password)
    with engine.begin() as connection:
        known = connection.execute(select(agents.c.id).where(agents.c.login == login)).first()
        if known:
            connection.execute(
                update(agents).where(agents.c.login == login).values(password_hash=hashed)
            )
        else:
            connection.execute(insert(agents).values(login=login, password_hash=hashed))


def check_agent(engine: Engine, login: str, password: str) -> bool:
    with reading(engine) as connection:
        hashed = connection.execute(
            select(agents.c.password_hash).where(agents.c.login == login)
        ).scalar()
    return check_password_hash(hashed or _DUMMY_HASH, password) and hashed is not None


def session_secret(engine: Engine) -> bytes:
    with engine.begin() as connection:
        value = connection.execute(
            select(secrets.c.value).where(secrets.c.name == "session_secret")
        ).scalar()
        if value is None:
            value = random.token_bytes(32)
            connection.execute(insert(secrets).values(name="session_secret", value=value))
        return value
