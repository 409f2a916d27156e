"""Every table of the hub, in one place. SQLAlchemy Core, so SQLite and PostgreSQL share it.

Ballots and vote codes live in two tables with nothing in common but the consultation id:
see `votecodes.py` and hub/README.md ("Secret ballot").
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

kiosks = Table(
    "kiosks",
    metadata,
    Column("kiosk_id", String(64), primary_key=True),
    Column("public_key", String(64), nullable=False),
    Column("token_hash", String(64), nullable=False),
    Column("enrolled_at", BigInteger, nullable=False),
    Column("last_seen", BigInteger),
    Column("version", String(64)),
    Column("uptime_s", BigInteger),
    Column("outbox_depth", Integer),
    Column("checks", Text),  # JSON list, as the kiosk sent it
)

# What each kiosk last said of its updates (heartbeat `update`): a table of its own, so a
# hub database made before updates existed gains it without a migration.
kiosk_updates = Table(
    "kiosk_updates",
    metadata,
    Column("kiosk_id", String(64), primary_key=True),
    Column("report", Text, nullable=False),  # JSON object, as the kiosk sent it
)

# Releases offered to kiosks (hub/releases.py): the bundle file stays in the release store,
# its manifest is signed with the content key when a kiosk is offered it.
releases = Table(
    "releases",
    metadata,
    Column("version", String(32), primary_key=True),
    Column("size", BigInteger, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("path", Text, nullable=False),  # the bundle in the release store
    Column("kiosks", Text),  # JSON list of kiosk ids; NULL: every kiosk (see percent)
    Column("percent", Integer, nullable=False, default=100),  # staged rollout
    Column("published_at", BigInteger, nullable=False),
)

# One-time enrolment tokens, kept only as SHA-256 hashes.
kiosk_tokens = Table(
    "kiosk_tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("created_at", BigInteger, nullable=False),
    Column("used_by", String(64)),
)

# Nonces seen within the timestamp window: a second request with one is a replay.
nonces = Table(
    "nonces",
    metadata,
    Column("kiosk_id", String(64), primary_key=True),
    Column("nonce", String(128), primary_key=True),
    Column("seen_at", BigInteger, nullable=False, index=True),
)

submissions = Table(
    "submissions",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("kind", String(16), nullable=False, index=True),
    Column("kiosk_id", String(64), nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("received_at", BigInteger, nullable=False),
    Column("content_version", String(64)),
    Column("payload", Text, nullable=False),  # JSON object
    # kiosk:session:consultation of a vote without code: one vote per citizen session.
    Column("vote_key", String(200), unique=True),
)

# A ballot cast with a single-use code: random id, day only, no kiosk, no submission id.
# Without SQLite's hidden rowid the rows are ordered by their random id, not by arrival.
ballots = Table(
    "ballots",
    metadata,
    Column("ballot_id", String(32), primary_key=True),
    Column("consultation", String(64), nullable=False, index=True),
    Column("choice", String(64), nullable=False),
    Column("day", String(10), nullable=False),
    sqlite_with_rowid=False,
)

# A ballot refused because its code was unknown or already used: counted per consultation
# so agents see attempts (a code typed twice, on one kiosk or two offline ones), with
# nothing of the code, the kiosk or the choice.
ballot_refusals = Table(
    "ballot_refusals",
    metadata,
    Column("refusal_id", String(32), primary_key=True),
    Column("consultation", String(64), nullable=False, index=True),
    Column("day", String(10), nullable=False),
    sqlite_with_rowid=False,
)

# The voters' list side: a code's hash and whether it was used, nothing else.
vote_codes = Table(
    "vote_codes",
    metadata,
    Column("code_hash", String(64), primary_key=True),
    Column("consultation", String(64), nullable=False, index=True),
    Column("burnt", Boolean, nullable=False, default=False),
    sqlite_with_rowid=False,
)

# What the town hall answers to an idea (hub/ideastatus.py): one row per idea answered.
idea_answers = Table(
    "idea_answers",
    metadata,
    Column("idea_id", String(36), primary_key=True),  # submissions.id of the idea
    Column("status", String(16), nullable=False),
    Column("answer", Text, nullable=False, default=""),  # public: shown on the kiosks
    Column("updated_at", BigInteger, nullable=False),
    Column("updated_by", String(64), nullable=False),
)

# The content document as the town hall last published it, before the agents' public
# answers are added to it: what the hub signs again when an answer changes.
content_source = Table(
    "content_source",
    metadata,
    Column("name", String(16), primary_key=True),
    Column("body", Text, nullable=False),
)

# The current signed content (one row per published version; the newest one is served).
contents = Table(
    "contents",
    metadata,
    Column("serial", Integer, primary_key=True, autoincrement=True),
    Column("version", String(64), nullable=False),
    Column("body", Text, nullable=False),  # canonical JSON of the content
    Column("signature", String(128), nullable=False),
    Column("etag", String(80), nullable=False),
    Column("published_at", BigInteger, nullable=False),
)

# The town hall's Ed25519 content key and the session secret for the agents' pages.
# Technicians' dongles issued (hub/servicekeys.py): what can be revoked, never the token.
dongles = Table(
    "dongles",
    metadata,
    Column("serial", String(64), primary_key=True),
    Column("technician", String(80), nullable=False),
    Column("issued_at", BigInteger, nullable=False),
    Column("expires", String(20), nullable=False),
    Column("revoked_at", BigInteger),
)

# What technicians did on each kiosk in service mode, and the dongles it refused: the
# kiosk's audit log (appliance/service/audit.py) as its heartbeats carried it, kept by the
# entry's line number on the kiosk so an entry sent twice is kept once.
kiosk_audit = Table(
    "kiosk_audit",
    metadata,
    Column("kiosk_id", String(64), nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("at", String(32), nullable=False),
    Column("event", String(32), nullable=False),
    Column("technician", String(80)),
    Column("serial", String(64)),
    Column("detail", Text),  # the rest of the entry: page, why, reason (JSON object)
    UniqueConstraint("kiosk_id", "seq"),
)

secrets = Table(
    "secrets",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("value", LargeBinary, nullable=False),
)

agents = Table(
    "agents",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("login", String(64), nullable=False),
    Column("password_hash", String(256), nullable=False),
    UniqueConstraint("login"),
)
