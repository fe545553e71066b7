"""Scheduled work: idempotent sweeps over database state, hosted by APScheduler."""
