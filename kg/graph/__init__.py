"""Graph stage: canonical entities and their co-occurrence as a NetworkX graph."""
