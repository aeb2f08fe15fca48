"""NLP stage: a spaCy Chinese pipeline that tags PERSON, PLACE, ORG and PROJECT."""
