"""The gateway's HTTP side: the /api/ handler with auth and faults, and a listening socket that can go away."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
import socket
import time

from aiohttp import hdrs, web

from .api import ENDPOINT_METHODS, GatewayApi
from .auth import FORBIDDEN_BODY, AuthOutcome, GatewayAuth
from .records import RequestRecord
from .switches import Faults, Quirks
from .tasks import TaskTracker
from .wire import render, truncate

SERVER_HEADER = "Web Server/2.1.0 MatrixSSL/4.3.0-OPEN"
# What an endless reply repeats after its opening, until the client hangs up.
_ENDLESS_OPENING = b'{"error_code":200,"result":['
_ENDLESS_CHUNK = b'{"port":0,"number":"+0","status":"SENDING"},' * 1024


class ReplyGate:
    """Holds the replies of chosen endpoints (the work done, the answer not sent) until released."""

    def __init__(self) -> None:
        """Hold nothing."""
        self._endpoints: frozenset[str] = frozenset()
        self._release = asyncio.Event()
        self._held = 0
        self._changed = asyncio.Event()

    @property
    def held(self) -> int:
        """How many replies wait right now."""
        return self._held

    def stall(self, endpoints: frozenset[str]) -> None:
        """Hold the replies of these endpoints from now on."""
        self._endpoints = endpoints
        if self._release.is_set():
            self._release = asyncio.Event()

    def release(self) -> None:
        """Send every held reply and hold no more."""
        self._endpoints = frozenset()
        self._release.set()

    async def hold(self, endpoint: str) -> None:
        """Wait while endpoint's replies are held."""
        if endpoint not in self._endpoints:
            return
        release = self._release
        self._held += 1
        self._changed.set()
        try:
            await release.wait()
        finally:
            self._held -= 1

    async def wait_held(self, count: int) -> None:
        """Wait until count replies are held."""
        while self._held < count:
            self._changed.clear()
            await self._changed.wait()


class ApiHandler:
    """Serves /api/{endpoint}: faults first, then the ban, auth, method and the endpoint itself."""

    def __init__(
        self,
        *,
        api: GatewayApi,
        auth: GatewayAuth,
        faults: Faults,
        quirks: Quirks,
        unreachable: Callable[[], bool],
        requests: list[RequestRecord],
        gate: ReplyGate,
    ) -> None:
        """unreachable() tells whether the gateway is offline or rebooting."""
        self._gate = gate
        self._api = api
        self._auth = auth
        self._faults = faults
        self._quirks = quirks
        self._unreachable = unreachable
        self._requests = requests

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Answer one API request (or drop its connection) and log it in `requests`."""
        arrived = time.monotonic()
        response, authenticated = await self._respond(request)
        path, _, query_string = request.raw_path.partition("?")
        self._requests.append(
            RequestRecord(
                method=request.method,
                path=path,
                query_string=query_string,
                status=0 if response is None else response.status,
                time=arrived,
                client=request.remote or "",
                authenticated=authenticated,
            )
        )
        if response is None:
            request.protocol.force_close()
            # Never written: the connection is gone.
            return web.Response()
        if authenticated:
            endpoint = request.match_info["endpoint"]
            await self._gate.hold(endpoint)
            if endpoint in self._faults.endless_replies:
                return await _endless(request)
        return response

    async def _respond(self, request: web.Request) -> tuple[web.Response | None, bool]:
        """Return the response (None = close unanswered) and whether the request authenticated."""
        if self._unreachable() or self._faults.drop_connection:
            return None, False
        if self._faults.latency > 0:
            await asyncio.sleep(self._faults.latency)
        body = await request.read()
        authorization = request.headers.get(hdrs.AUTHORIZATION)
        outcome = self._auth.check(
            method=request.method,
            target=request.raw_path,
            authorization=authorization,
            client=request.remote or "",
        )
        if outcome is AuthOutcome.LOCKED_OUT:
            return web.Response(status=403, text=FORBIDDEN_BODY), False
        if outcome is not AuthOutcome.ACCEPTED:
            if not authorization and request.method == hdrs.METH_POST and not body:
                return None, False
            challenge = {hdrs.WWW_AUTHENTICATE: self._auth.challenge()}
            return web.Response(
                status=401, text="401 Unauthorized", headers=challenge
            ), False
        return self._endpoint_response(request, body), True

    def _endpoint_response(self, request: web.Request, body: bytes) -> web.Response:
        endpoint = request.match_info["endpoint"]
        method = ENDPOINT_METHODS.get(endpoint)
        if (
            method is None
            or self._faults.api_disabled
            or not self._api.serves(endpoint)
        ):
            return web.Response(status=404, text="404 Not Found")
        if request.method != method:
            return web.Response(status=403, text="403 Forbidden")
        if self._faults.http_500:
            return web.Response(status=500, text="500 Internal Server Error")
        text = render(
            self._api.call(endpoint, request.query, body),
            trailing_commas=self._quirks.trailing_commas,
        )
        text = self._faults.reply_bodies.get(endpoint, text)
        if self._faults.malformed_body:
            text = truncate(text)
        return web.Response(
            body=text.encode(), headers={hdrs.CONTENT_TYPE: self._quirks.content_type}
        )


async def _endless(request: web.Request) -> web.StreamResponse:
    """Answer with a body that never ends, until the client hangs up."""
    response = web.StreamResponse(headers={hdrs.CONTENT_TYPE: "text/html"})
    await response.prepare(request)
    await response.write(_ENDLESS_OPENING)
    try:
        while True:
            await response.write(_ENDLESS_CHUNK)
    except ConnectionError:
        pass
    return response


async def _server_header(request: web.Request, response: web.StreamResponse) -> None:
    response.headers[hdrs.SERVER] = SERVER_HEADER


def build_app(
    api_handler: ApiHandler, control_routes: list[web.RouteDef]
) -> web.Application:
    """Build the aiohttp application: /api/ for clients, /control/ for tests and the demo."""
    app = web.Application()
    app.router.add_route("*", "/api/{endpoint:.*}", api_handler.handle)
    app.router.add_routes(control_routes)
    app.on_response_prepare.append(_server_header)
    return app


class Listener:
    """Owns the listening socket; suspending closes it at once, resuming listens again on the same port."""

    def __init__(self, app: web.Application) -> None:
        """Serve app once started."""
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        self._reasons: set[str] = set()
        self._server: asyncio.Server | None = None
        self._address: tuple[str, int] | None = None
        self._family = socket.AF_INET
        # Re-listening: the socket is bound at once, the server object follows in a task.
        self._relisten = TaskTracker()
        self._relistening = False

    @property
    def address(self) -> tuple[str, int]:
        """The host and TCP port listened on."""
        if self._address is None:
            raise RuntimeError("the simulator is not running")
        return self._address

    @property
    def suspended(self) -> bool:
        """Whether the gateway refuses connections right now."""
        return bool(self._reasons)

    async def start(self, host: str, port: int) -> None:
        """Bind host:port (0 = any free port) and listen unless suspended."""
        await self._runner.setup()
        infos = await asyncio.get_running_loop().getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )
        family, _, _, _, address = infos[0]
        self._family = family
        sock = self._bind((str(address[0]), int(address[1])))
        self._address = (str(address[0]), sock.getsockname()[1])
        if self.suspended:
            sock.close()
        else:
            self._server = await self._serve(sock)

    def suspend(self, reason: str) -> None:
        """Stop listening for reason (other reasons may already hold it closed)."""
        self._reasons.add(reason)
        if self._server is not None:
            self._server.close()
            self._server = None

    def resume(self, reason: str) -> None:
        """Drop reason; listen again on the same port once no reason is left."""
        self._reasons.discard(reason)
        if self._reasons or self._address is None or self._server or self._relistening:
            return
        # Bound and listening right away; connections wait in the backlog until served.
        sock = self._bind(self._address)
        self._relistening = True
        self._relisten.spawn(self._serve_later(sock))

    async def wait_listening(self) -> None:
        """Wait until a resume has its server object (connections are queued meanwhile anyway)."""
        await self._relisten.wait_idle()

    async def stop(self) -> None:
        """Close the socket and every connection."""
        self._reasons.add("stopped")
        await self._relisten.wait_idle()
        if self._server is not None:
            self._server.close()
            self._server = None
        await self._runner.cleanup()

    def _bind(self, address: tuple[str, int]) -> socket.socket:
        sock = socket.socket(self._family, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(address)
            sock.listen(128)
            sock.setblocking(False)
        except OSError:
            sock.close()
            raise
        return sock

    async def _serve(self, sock: socket.socket) -> asyncio.Server:
        server = self._runner.server
        assert server is not None
        return await asyncio.get_running_loop().create_server(server, sock=sock)

    async def _serve_later(self, sock: socket.socket) -> None:
        # Never cancelled half-way: a suspend meanwhile is honoured once the server exists.
        try:
            server = await self._serve(sock)
        finally:
            self._relistening = False
        if self.suspended:
            server.close()
        else:
            self._server = server
