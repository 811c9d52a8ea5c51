"""From files to Articles: readers (one per format), cleaning, entity extraction, and the pipeline
that runs them over a process pool with per-file time limits (``pipeline``).

Nothing here knows a search engine; ``indexer.build`` hands the Articles to an engine's writer.
This package file imports nothing, so a module such as ``ingest.words`` loads alone.
"""
