"""Spreadsheet imports (FORMATS.md): the `flask import` command group and file reading."""
