"""Command-line commands, one module each (see analysis/__main__.py)."""
