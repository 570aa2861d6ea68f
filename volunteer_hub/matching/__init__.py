"""Matching volunteers with households: the pure engine and the app around it.

``engine/`` is pure: hard rules, scores with reasons and the global plan, on plain dataclasses
and an explicit ``as_of`` date; it imports neither Flask, the database nor anything else of the
app, and the app hands it the words its sentences use (``MatchingConfig.names``). Everything
else here is not pure: ``services.py`` is the bridge that loads models into the engine's
dataclasses; ``workflow.py`` and ``followup.py`` move a match through its states and write audit
and outbox rows; ``models.py``, ``queries.py``, ``waiting.py``, ``importer.py``, ``cards.py``,
``erasure.py``, ``access.py``, ``forms.py``, ``labels.py``, ``cli.py``, ``api.py`` and
``views/`` use the database or Flask.
"""
