"""Entry point shared by the three services' `__main__`."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from newsroom_shared.logging import configure_logging
from newsroom_shared.service import Service, run_service
from newsroom_shared.settings import NewsroomSettings


def main(name: str, build: Callable[[NewsroomSettings], Service]) -> None:
    settings = NewsroomSettings()
    configure_logging(settings, name)

    async def serve() -> None:
        await run_service(build(settings), settings)

    asyncio.run(serve())
