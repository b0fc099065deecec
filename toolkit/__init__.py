"""Workshop toolkit for information management in Dutch education."""
