"""``python -m gametheory`` runs the command-line interface."""

from .cli import main

main()
