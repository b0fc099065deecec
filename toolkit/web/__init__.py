"""The participant web app: server-rendered pages from the exercise specs, no kernel.

Every screen is HTML rendered on the server (Jinja2, autoescape) and works as a plain form;
one small script (``static/participant.js``) saves answers as they are given, keeps them in
the browser while the connection is down, and shows live group results pushed over
server-sent events. State lives in the store only, so any number of these processes can
serve the same workshop. Start it with ``python -m toolkit.web`` (``workshop serve`` does).
"""
