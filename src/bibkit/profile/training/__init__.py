"""Training data and training for the parser's two learned models.

- :mod:`.corpus`: labelled references (AnyStyle XML, GROBID TEI, bibkit's own XML) as
  :class:`~.corpus.Reference` segment lists, deduplicated and split.
- :mod:`.pages`: line-labelled pages (bibkit's ``.ttx`` format) for the finder.
- :mod:`.synth`: synthetic labelled references and pages made from real entries.
- :mod:`.train`: ``bibkit train``: builds both models and prints held-out scores.
"""
