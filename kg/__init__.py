"""kg: Chinese news text to a knowledge graph of people, places, organisations and projects."""

__version__ = "0.1.0"
