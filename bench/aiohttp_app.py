"""The peer the benchmarks compare against: the origin talk's aiohttp app (an introductory talk on
Python's aiohttp that this project answers in Vert.x), with sessions kept the way the talk keeps
them, in an encrypted cookie (aiohttp_session's EncryptedCookieStorage).

    /usr/bin/python3 bench/aiohttp_app.py PORT

Needs Debian's python3-aiohttp, python3-aiohttp-session and python3-cryptography. Listens on
127.0.0.1 only. Routes mirror the starter's: GET /hello, POST /api/session {"login"} (a login
without a password check: the benchmark measures the session path, not hashing), GET /api/me, and
the websocket /ws/echo (each text message back with "/answer").
"""
import os
import sys

from aiohttp import WSMsgType, web
from aiohttp_session import get_session, setup
from aiohttp_session.cookie_storage import EncryptedCookieStorage


async def hello(request):
    return web.Response(text="Hello, world")


async def login(request):
    body = await request.json()
    session = await get_session(request)
    session["login"] = body["login"]
    return web.json_response({"login": body["login"]})


async def me(request):
    session = await get_session(request)
    if "login" not in session:
        return web.json_response({"error": "unauthorized", "message": "not logged in"}, status=401)
    return web.json_response({"login": session["login"]})


async def echo(request):
    socket = web.WebSocketResponse()
    await socket.prepare(request)
    async for message in socket:
        if message.type == WSMsgType.TEXT:
            await socket.send_str(message.data + "/answer")
    return socket


def app():
    application = web.Application()
    setup(application, EncryptedCookieStorage(os.urandom(32), cookie_name="peer.sid", httponly=True, samesite="Lax"))
    application.router.add_get("/hello", hello)
    application.router.add_post("/api/session", login)
    application.router.add_get("/api/me", me)
    application.router.add_get("/ws/echo", echo)
    return application


if __name__ == "__main__":
    web.run_app(app(), host="127.0.0.1", port=int(sys.argv[1]), access_log=None, print=None)
