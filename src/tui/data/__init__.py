"""The data core: corpus, schema, build, store, search and queries.

It returns plain data and imports no Textual, no Rich, no argparse, and nothing from `tui.cli` or
`tui.app` (tests/test_layers.py holds the contract).
"""
