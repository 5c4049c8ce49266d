#!/usr/bin/env python3
"""net-load.py MESSAGES SIZE: one TCP loopback connection, MESSAGES sends of SIZE bytes (TCP_NODELAY)
read by a second thread; prints 'messages N', 'seconds S', 'cpu_seconds C' (this process, user +
system), 'sends_per_s R'. The load of bench/net.sh: many small messages, each a sendmsg and (mostly)
a recvmsg the TCP probe sees."""
import os
import socket
import sys
import threading
import time

messages, size = int(sys.argv[1]), int(sys.argv[2])
srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen(1)
got = [0]


def reader():
    c, _ = srv.accept()
    want = messages * size
    while got[0] < want:
        b = c.recv(65536)
        if not b:
            break
        got[0] += len(b)
    c.close()


t = threading.Thread(target=reader)
t.start()
cli = socket.create_connection(srv.getsockname())
cli.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
msg = b"x" * size
r0 = os.times()
t0 = time.monotonic()
for _ in range(messages):
    cli.sendall(msg)
t.join()
t1 = time.monotonic()
r1 = os.times()
cli.close()
cpu = (r1.user - r0.user) + (r1.system - r0.system)
print(f"messages {messages}")
print(f"seconds {t1 - t0:.3f}")
print(f"cpu_seconds {cpu:.3f}")
print(f"sends_per_s {messages / (t1 - t0):.0f}")
