"""notebook-runner: render, check and replay Obsidian study notes."""

__version__ = "0.1.0"
