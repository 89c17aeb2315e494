"""The peer the benchmarks compare against: the origin talk's aiohttp app (an introductory talk on
Python's aiohttp that this project answers in Vert.x), with sessions kept the way the talk keeps
them, in an encrypted cookie (aiohttp_session's EncryptedCookieStorage), or, given a MongoDB URL,
server-side in MongoDB through motor, as the starter keeps them.

    /usr/bin/python3 bench/aiohttp_app.py PORT [MONGODB_URL]

Needs Debian's python3-aiohttp, python3-aiohttp-session and python3-cryptography (and python3-motor
with a URL). Listens on 127.0.0.1 only. Routes mirror the starter's: GET /hello, POST /api/session
{"login"} (a login without a password check: the benchmark measures the session path, not hashing),
GET /api/me, and the websocket /ws/echo (each text message back with "/answer").
"""
import json
import os
import sys
import uuid

from aiohttp import WSMsgType, web
from aiohttp_session import AbstractStorage, Session, get_session, setup
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


class MotorStorage(AbstractStorage):
    """Sessions in a MongoDB collection, by the id in the cookie (aiohttp_session has no such
    storage in Debian's version)."""

    def __init__(self, url, **kwargs):
        super().__init__(**kwargs)
        self._url = url
        self._sessions = None

    def _collection(self):
        # Made on first use: motor's client belongs to the event loop it is made on, the server's.
        if self._sessions is None:
            from motor.motor_asyncio import AsyncIOMotorClient

            self._sessions = AsyncIOMotorClient(self._url)["peer"]["sessions"]
        return self._sessions

    async def load_session(self, request):
        key = self.load_cookie(request)
        found = None if key is None else await self._collection().find_one({"_id": str(key)})
        if found is None:
            return Session(None, data=None, new=True, max_age=self.max_age)
        return Session(str(key), data=json.loads(found["data"]), new=False, max_age=self.max_age)

    async def save_session(self, request, response, session):
        key = session.identity or uuid.uuid4().hex
        self.save_cookie(response, "" if session.empty else key, max_age=session.max_age)
        data = json.dumps(self._get_session_data(session))
        await self._collection().update_one({"_id": key}, {"$set": {"data": data}}, upsert=True)


def storage():
    cookie = {"cookie_name": "peer.sid", "httponly": True, "samesite": "Lax"}
    if len(sys.argv) > 2:
        return MotorStorage(sys.argv[2], **cookie)
    return EncryptedCookieStorage(os.urandom(32), **cookie)


def app():
    application = web.Application()
    setup(application, storage())
    application.router.add_get("/hello", hello)
    application.router.add_post("/api/session", login)
    application.router.add_get("/api/me", me)
    application.router.add_get("/ws/echo", echo)
    return application


if __name__ == "__main__":
    web.run_app(app(), host="127.0.0.1", port=int(sys.argv[1]), access_log=None, print=None)
