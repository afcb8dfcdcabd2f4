"""Options shared by the commands that write BibTeX."""

from __future__ import annotations

import click

#: ``--dialect``, for every command that writes BibTeX
dialect_option = click.option(
    "--dialect", type=click.Choice(["bibtex", "biblatex"]), default="bibtex", show_default=True,
    help="BibTeX output: 'bibtex' writes only the types and fields classic .bst styles know (a venue "
         "they cannot print goes to note/howpublished, arXiv ids to eprint + archivePrefix); 'biblatex' "
         "writes biblatex's (@online, date, pubstate, eprinttype) for biber.")
