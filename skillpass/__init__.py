"""The composition root: builds the web app (``app.py``), the CLI (``cli.py``) and wires settings."""
