"""kg: Chinese news text to a knowledge graph of people, places, organisations and projects."""

__version__ = "0.1.0"
__all__ = ["__version__", "load"]


def __getattr__(name: str):
    # `kg.load` imports networkx only when used, so `import kg` (and the CLI's start) stays light.
    if name == "load":
        from kg.explore import load

        return load
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
