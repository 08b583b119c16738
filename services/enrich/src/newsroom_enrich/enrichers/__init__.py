"""Pure, I/O-free building blocks of article enrichment (language, entities, keywords, ...)."""
