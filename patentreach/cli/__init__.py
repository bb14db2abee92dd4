"""Thin command-line adapter: one module per command group, each command body parses options and
calls one library function of the same name."""
