"""Spreadsheet imports (FORMATS.md): one reader for every import file, and the `flask import` commands."""
