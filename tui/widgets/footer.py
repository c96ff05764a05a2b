"""The footer: Textual's, recomposed only when the keys it shows change."""

from __future__ import annotations

from typing import Any

from textual.widgets import Footer


class KeysFooter(Footer):
    """Textual's Footer rebuilds all its key widgets whenever the screen's bindings are re-announced (every
    screen switch and focus move), ~10 widgets mounted and styled each time. The keys shown rarely change:
    rebuild only when they do."""

    _shown: tuple[Any, ...] | None = None

    def _signature(self) -> tuple[Any, ...]:
        try:
            active = self.screen.active_bindings
        except Exception:  # not attached yet
            return ()
        return (
            self._bindings_ready,
            self.compact,
            self.show_command_palette,
            tuple(
                (b.key, b.action, b.description, b.key_display, b.group, enabled, tooltip)
                for (_, b, enabled, tooltip) in active.values()
                if b.show or b.key == self.app.COMMAND_PALETTE_BINDING
            ),
        )

    async def recompose(self) -> None:
        signature = self._signature()
        if signature == self._shown and self.children:
            return
        self._shown = signature
        await super().recompose()
