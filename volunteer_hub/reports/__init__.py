"""The quarterly partnership report: a pure core over plain facts, exports, charts and finalising."""
