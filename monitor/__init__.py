"""stance-monitor: watch a news stream and alert when an actor's stance shifts."""

__version__ = "0.1.0"
