"""Helpers for the radio tests: a stick of a given model with a client, command/reply scripts."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from emulator import EmulatedStick

from .conftest import AtClient, open_client

Script = list[tuple[str, list[str] | None]]


@asynccontextmanager
async def stick_and_client(
    model: str, **options: Any
) -> AsyncIterator[tuple[EmulatedStick, AtClient]]:
    async with EmulatedStick(model, **options) as stick:
        client = await open_client(stick)
        try:
            yield stick, client
        finally:
            client.close()


async def run_script(client: AtClient, script: Script) -> None:
    """Each command answers OK with exactly the expected lines (None: a setting, whose
    unsolicited pushes may come along with the reply)."""
    for command, expected in script:
        lines = await client.ok(command)
        assert expected is None or lines == expected, (command, lines)


async def final_of(client: AtClient, command: str) -> str:
    return (await client.command(command))[-1]
