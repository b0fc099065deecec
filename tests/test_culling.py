"""Kernels whose page has gone are culled, even while they keep redrawing group results.

Jupyter culls only kernels without activity; a participant kernel keeps redrawing the group
results while others answer, so without the server's own rule its kernel stayed until the
server ran out of memory (the 30-minute soak in ``bench/``).
"""

from __future__ import annotations

import time

import pytest

from tests.support.servers import participant_server
from tests.test_doors import EXERCISES, Wire, _raw_get

pytestmark = pytest.mark.server


def test_a_kernel_without_its_page_is_culled_while_others_answer(tmp_path):
    """With a 5-second cull timeout: is the kernel of a page that went away shut down while
    another participant keeps answering the same exercise (so the orphan keeps redrawing),
    and does the connected participant's kernel stay?"""
    with participant_server(
        tmp_path,
        "Opruimen",
        EXERCISES,
        routes={"/": "participant.ipynb"},
        pools={"participant.ipynb": 2},
        cull_idle_seconds=5,
    ) as (server, session, _):
        gone = Wire(server.url, f"?code={session.code}")
        gone.join()
        gone.open_exercise("bestuurstafel")
        orphan = gone.kernel
        gone.close()
        with Wire(server.url, f"?code={session.code}") as busy:
            busy.join()
            busy.open_exercise("bestuurstafel")
            scale = sorted(busy.with_class("workshop-scale"))[0]
            deadline = time.monotonic() + 120
            level = 0
            while _raw_get(server.port, f"/api/kernels/{orphan}")[0] != 404:
                assert time.monotonic() < deadline, "the kernel without a page still runs"
                busy.update(scale, {"index": level % 5})  # the orphan redraws the radar
                level += 1
                time.sleep(1.5)
            assert _raw_get(server.port, f"/api/kernels/{busy.kernel}")[0] == 200
        assert "no page connected" in server.log.read_text(errors="replace")
