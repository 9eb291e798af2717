"""De-duplication, in one place: ``neardup`` (shingles, MinHash/LSH keys, containment
fingerprints, the comparison of two texts and its copy/series class), ``verdict`` (is an article
already stored, a copy of one, or the next of a template series), ``lookup`` (the protocol of the
questions the verdict asks of what is stored).  Pure: storage answers the look-ups, the write path
(:mod:`crawler.writing`) applies the verdicts."""
