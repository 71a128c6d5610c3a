"""``python -m skillpass`` runs the CLI."""

from skillpass.cli import main

# Guarded: a forking signing pool (multiprocessing "spawn"/"forkserver") re-imports the main module in
# each worker, which without this would run the CLI again.
if __name__ == "__main__":
    main()
