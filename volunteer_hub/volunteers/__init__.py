"""Volunteers: registration, the approval state machine, child certificates and self-service."""
