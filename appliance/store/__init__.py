"""Durable storage on the data partition."""

from appliance.store.outbox import Outbox, OutboxError, OutboxFull, Submission

__all__ = ["Outbox", "OutboxError", "OutboxFull", "Submission"]
