"""Accounts, roles, sign-in and the per-route access policy."""
