"""Run the simulator on its own, for a driver in another process (see SimulatorClient)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib

from telesim.simulator import DEFAULT_TOKEN, Simulator


async def _serve(host: str, port: int, token: str) -> None:
    sim = Simulator(token=token)
    await sim.start(host=host, port=port)
    print(f"Bot API: {sim.base_url}  files: {sim.base_file_url}  control: {sim.origin}/_sim/")
    try:
        await asyncio.Event().wait()
    finally:
        await sim.stop()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m telesim", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    arguments = parser.parse_args()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(arguments.host, arguments.port, arguments.token))


if __name__ == "__main__":
    main()
