"""The command line: argument parsing, one module per command group, and terminal rendering."""
