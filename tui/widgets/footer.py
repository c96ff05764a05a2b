"""The footer: the keys that work here, as one line rendered by one widget.

Textual's Footer mounts a widget per key and rebuilds them all whenever the screen's bindings are
re-announced (each screen switch, and each focus move between an input and a table): ~12 widgets mounted
and styled, tens of milliseconds on every paint, switch and search. This footer renders the same line
itself (a repaint when the keys change) and keeps the mouse: clicking a key presses it.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget


class KeysFooter(Widget):
    """`1 Dashboard  2 Treaties … ? Help  q Quit` on the left, `^p palette` on the right."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "keys-footer--key",
        "keys-footer--description",
        "keys-footer--disabled",
    }
    DEFAULT_CSS = """
    KeysFooter {
        dock: bottom;
        height: 1;
        text-wrap: nowrap;
        color: $footer-foreground;
        background: $footer-background;
    }
    KeysFooter > .keys-footer--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeysFooter > .keys-footer--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    KeysFooter > .keys-footer--disabled {
        text-style: dim;
    }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._spots: list[tuple[int, int, str, bool]] = []
        """(first cell, end cell, key, enabled) of each key shown, for clicks."""

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[Any]) -> None:
        self.refresh()

    def keys(self) -> list[tuple[str, str, str, bool]]:
        """(key, key display, description, enabled) of each binding to show, one per action, in order."""
        app = self.app
        seen: set[str] = set()
        out = []
        for _, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if not binding.show or binding.action in seen or binding.key == app.COMMAND_PALETTE_BINDING:
                continue
            seen.add(binding.action)
            out.append((binding.key, app.get_key_display(binding), binding.description, enabled))
        return out

    def palette(self) -> tuple[str, str, str, bool] | None:
        app = self.app
        if not app.ENABLE_COMMAND_PALETTE:
            return None
        found = self.screen.active_bindings.get(app.COMMAND_PALETTE_BINDING)
        if found is None:
            return None
        _, binding, enabled, _ = found
        return (binding.key, app.get_key_display(binding), binding.description, enabled)

    def _item(self, key_display: str, description: str, enabled: bool, *, pad: bool = True) -> Text:
        key_style = self.get_component_rich_style("keys-footer--key")
        desc_style = self.get_component_rich_style("keys-footer--description")
        key = f" {key_display} " if pad else f"{key_display} "
        t = Text.assemble((key, key_style), (f"{description} ", desc_style), end="")
        if not enabled:
            t.stylize(self.get_component_rich_style("keys-footer--disabled"))
        return t

    def render(self) -> Text:
        width = self.size.width
        spots: list[tuple[int, int, str, bool]] = []
        line = Text(end="", no_wrap=True, overflow="crop")
        for key, display, description, enabled in self.keys():
            item = self._item(display, description, enabled)
            spots.append((line.cell_len, line.cell_len + item.cell_len, key, enabled))
            line.append_text(item)
        right = self.palette()
        if right is not None and width:
            item = Text("▏", style="dim", end="")
            item.append_text(self._item(right[1], right[2], right[3], pad=False))
            room = width - item.cell_len
            if line.cell_len > room:
                line.truncate(max(0, room), overflow="crop")
                spots = [s for s in spots if s[1] <= room]
            line.pad_right(room - line.cell_len)
            spots.append((room, width, right[0], right[3]))
            line.append_text(item)
        self._spots = spots
        return line

    def on_click(self, event: events.Click) -> None:
        for start, end, key, enabled in self._spots:
            if start <= event.x < end:
                if enabled:
                    self.app.simulate_key(key)
                else:
                    self.app.bell()
                return
