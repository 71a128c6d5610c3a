"""``python -m skillpass`` runs the CLI."""

from skillpass.cli import main

main()
