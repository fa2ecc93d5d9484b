"""Pushing an event from synchronous code while the thread's event loop is running (a sync
service called from async code, or a test worker whose browser session keeps a loop) is
scheduled on that loop, not refused."""

import asyncio
import threading

from channels.layers import get_channel_layer

from config.realtime import push_to_user, user_group


def test_push_inside_a_running_loop_is_delivered(settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

    async def scenario():
        layer = get_channel_layer()
        channel = await layer.new_channel()
        await layer.group_add(user_group(7), channel)
        push_to_user(7, "feed:new_post", {"id": 1})  # synchronous call, loop running
        message = await asyncio.wait_for(layer.receive(channel), timeout=2)
        return message

    # A thread of its own: the test runner's thread may already hold a loop (browser tests).
    result = {}
    worker = threading.Thread(target=lambda: result.update(message=asyncio.run(scenario())))
    worker.start()
    worker.join(timeout=10)
    message = result["message"]
    assert message == {"type": "relay", "event": "feed:new_post", "data": {"id": 1}}
