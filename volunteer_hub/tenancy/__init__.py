"""Municipalities (the tenants) and their partner organisations."""
