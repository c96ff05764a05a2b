"""Bundled demo feeds (fictional, dated relative to now) and the local HTTP server that serves them.

``nordwatch demo`` builds the feeds into a temporary directory, serves them with :func:`serve_directory`,
writes a config with :func:`demo_config_toml` and runs the real poll pipeline against it.
"""

from feeds.demo.build import DemoFeed, build_demo_feeds, demo_config_toml
from feeds.demo.server import DemoServer, serve_directory

__all__ = ["DemoFeed", "DemoServer", "build_demo_feeds", "demo_config_toml", "serve_directory"]
