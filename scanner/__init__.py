"""mynumber-dlp: find Japanese Individual Numbers (マイナンバー) where they must not be."""

__version__ = "0.1.0"
