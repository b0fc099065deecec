"""The workshop's web servers: Voila with a fixed route table (participant and dashboard)."""

from .launch import CSP, ServerSpec, server_command

__all__ = ["CSP", "ServerSpec", "server_command"]
