"""The participant server's process: which event loop it runs on."""

from __future__ import annotations

import pytest

from tests.support.servers import participant_server


@pytest.mark.parametrize(("choice", "expected"), [("", "uvloop"), ("asyncio", "asyncio")])
def test_the_server_runs_on_the_event_loop_chosen(tmp_path, choice, expected):
    """Does ``workshop serve``'s participant server run on uvloop when it is installed (it
    is a dependency on Linux) and on asyncio's own loop with WORKSHOP_EVENT_LOOP=asyncio,
    and say so in its log, while answering its pages?"""
    import urllib.request

    env = {"WORKSHOP_EVENT_LOOP": choice}
    with participant_server(tmp_path, "Lus", ["bestuurstafel"], env=env) as (server, session, _):
        with urllib.request.urlopen(f"{server.url}/s/{session.code}/", timeout=30) as page:
            assert page.status == 200 and b'name="pseudonym"' in page.read()
        log = server.log.read_text(encoding="utf-8")
    assert f"(event loop: {expected})" in log
