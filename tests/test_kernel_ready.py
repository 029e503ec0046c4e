"""The kernel readiness check each notebook's client makes (runner.engine
``wait_until_ready``): the kernel_info reply on the shell channel, then that request's
idle status on IOPub — never a wait for the IOPub channel to fall silent."""

import asyncio
import itertools
from queue import Empty

import pytest

from bulletin.runner import engine
from bulletin.runner.engine import wait_until_ready


class Channel:
    """A channel whose messages are queued by the fake kernel."""

    def __init__(self):
        self.queue, self.waits = [], []

    def get_msg(self, timeout=None):
        self.waits.append(timeout)
        if not self.queue:
            raise Empty
        return self.queue.pop(0)


def status(parent, state):
    return {"msg_type": "status", "parent_header": {"msg_id": parent}, "content": {"execution_state": state}}


class Kernel:
    """A fake client: ``kernel_info()`` answers on the shell channel and publishes the
    request's busy/idle status on IOPub — unless the IOPub subscription is not live yet
    (the first ``late`` requests' statuses are lost, as a late ZMQ subscriber's are)."""

    def __init__(self, late=0, alive=True, answers=True, backlog=()):
        self.shell, self.iopub = Channel(), Channel()
        self.iopub.queue.extend(backlog)
        self.late, self.alive, self.answers, self.sent = late, alive, answers, []
        self.ids = (f"req-{i}" for i in itertools.count())
        self.handled = []

    def kernel_info(self):
        msg_id = next(self.ids)
        self.sent.append(msg_id)
        if self.answers:
            reply = {"msg_type": "kernel_info_reply", "parent_header": {"msg_id": msg_id}, "content": {}}
            self.shell.queue.append(reply)
            if self.late:
                self.late -= 1
            else:
                self.iopub.queue += [status(msg_id, "busy"), status(msg_id, "idle")]
        return msg_id

    @property
    def shell_channel(self):
        return self.shell

    @property
    def iopub_channel(self):
        return self.iopub

    def is_alive(self):
        return self.alive

    def _handle_kernel_info_reply(self, msg):
        self.handled.append(msg["parent_header"]["msg_id"])


def test_ready_at_the_requests_idle_status_with_what_came_before_dropped():
    # a preload's statuses are on IOPub before ours; what follows ours is left unread
    later = status("someone-else", "busy")
    kc = Kernel(backlog=[status("preload", "busy"), status("preload", "idle")])
    asyncio.run(wait_until_ready(kc, timeout=10))
    kc.iopub.queue.append(later)
    assert kc.sent == ["req-0"] and kc.handled == ["req-0"]
    assert kc.iopub.queue == [later]
    # no wait for a silence: every read found a message
    assert len(kc.iopub.waits) == 4


def test_a_late_iopub_subscription_sends_the_request_again():
    kc = Kernel(late=2)
    asyncio.run(wait_until_ready(kc, timeout=10))
    assert kc.sent == ["req-0", "req-1", "req-2"]
    assert kc.handled == ["req-2"]


def test_a_dead_kernel_and_a_silent_one_raise():
    with pytest.raises(RuntimeError, match="died"):
        asyncio.run(wait_until_ready(Kernel(answers=False, alive=False), timeout=10))
    with pytest.raises(RuntimeError, match="didn't respond"):
        asyncio.run(wait_until_ready(Kernel(answers=False), timeout=0.05))


def test_the_engines_client_waits_with_it(monkeypatch):
    """papermill sets the kernel up through the synchronous ``start_new_kernel_client``:
    it must be the engine client's own, not nbclient's (which waits for 0.2 s of
    silence on IOPub at each notebook)."""
    calls = []

    async def fake_wait(kc, timeout):
        calls.append(timeout)

    class Manager:
        def client(self):
            return Kernel()

    monkeypatch.setattr(engine, "wait_until_ready", fake_wait)
    client = engine._Client.__new__(engine._Client)
    monkeypatch.setattr(engine._Client, "km", Manager(), raising=False)
    monkeypatch.setattr(engine._Client, "startup_timeout", 7, raising=False)
    monkeypatch.setattr(engine._Client, "on_notebook_start", None, raising=False)
    monkeypatch.setattr(engine._Client, "nb", None, raising=False)
    monkeypatch.setattr(Kernel, "start_channels", lambda self: None, raising=False)
    client.start_new_kernel_client()
    assert calls == [7]


class Preloader:
    """A fake preload client: its shell channel holds the replies the kernel sent."""

    def __init__(self, replies):
        self.shell_channel = Channel()
        self.shell_channel.queue.extend(replies)


def reply(parent):
    return {"msg_type": "execute_reply", "parent_header": {"msg_id": parent}, "content": {"status": "ok"}}


def test_a_notebook_starts_after_the_preloads_queued_before_it(monkeypatch):
    """The preloader's socket and a notebook client's are two peers of the kernel's: a
    preload must have run before the notebook's reset cell, or its names are left in
    the notebook's namespace (a CI run once saw that). Each notebook start waits for the
    replies of the preloads queued so far, dropping other messages."""
    fake = Preloader([reply("other"), reply("p1"), reply("p2")])
    monkeypatch.setattr(engine, "_preloader", [fake])
    monkeypatch.setattr(engine, "_pending", ["p1", "p2"])
    asyncio.run(engine.preloads_done(timeout=5))
    assert engine._pending == [] and fake.shell_channel.queue == []


def test_a_preload_without_a_reply_holds_no_notebook_beyond_the_timeout(monkeypatch):
    fake = Preloader([])
    monkeypatch.setattr(engine, "_preloader", [fake])
    monkeypatch.setattr(engine, "_pending", ["p1"])
    asyncio.run(engine.preloads_done(timeout=0.05))
    waits = fake.shell_channel.waits
    assert engine._pending == [] and waits and max(waits) <= 0.05
