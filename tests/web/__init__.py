"""The participant web app."""
