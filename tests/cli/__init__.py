"""The workshop command line."""
