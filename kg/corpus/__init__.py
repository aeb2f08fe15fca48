"""Corpus stage: read files, repair OCR'd page layout, split pages into articles and sentences."""
