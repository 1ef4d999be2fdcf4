"""Generators of labelled timelines in new domains (the format of ../shared/data/timeline-dev).

Each module is one domain, written by its own hand: its rules first (from stance definitions), then its own
sentence templates. `python -m scripts.domains.NAME OUT_DIR` writes the timeline; `common.write_timeline`
checks and writes the files so every domain has the same format.
"""
