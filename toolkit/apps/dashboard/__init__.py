"""The facilitator dashboard (served on 127.0.0.1 only by ``workshop serve``)."""

from .app import DashboardApp, qr_svg

__all__ = ["DashboardApp", "qr_svg"]
