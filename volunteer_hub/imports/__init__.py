"""Spreadsheet imports (FORMATS.md): the reader shared by every file type, and the CLI group."""
