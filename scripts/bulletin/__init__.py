"""bulletin: turn raw OCR'd neighbourhood bulletin pages into a searchable MkDocs archive."""

__version__ = "0.1.0"
