"""Charts as escaped HTML: SVG drawings (svg.py) and tables and lists (tables.py, from
autoescaped Jinja2 macros). Plain data in, no JavaScript; every question type draws its
result with these."""
