"""Durable updates in and messages out: intake, per-chat ordering, the outbox worker, pacing."""
