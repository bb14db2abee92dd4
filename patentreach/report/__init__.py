"""Presentation: the demo run and, later, the bulletin's tables, charts and headline figures."""
