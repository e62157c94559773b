"""The explorer: the Textual app, its screens, widgets, styles and terminal handling."""
