"""Outgoing messages: the outbox, its SMTP worker, and e-mail templates."""
