"""Server-rendered pages (Jinja2 + htmx through jinja2-fragments), in Japanese and English."""
