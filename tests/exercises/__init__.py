"""Exercises and programmes: formats, loader, library."""
