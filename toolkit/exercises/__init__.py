"""Exercises and programmes: their formats (pydantic models built from the question types),
the YAML reader and loader with file:line problems, the exercise library, and the check of
every content file at once."""
