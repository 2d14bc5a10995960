"""Lab scenarios: real, unmodified Debian servers, each changed by one
documented knob that makes it close or give up after 1 s instead of its
default. Only that knob and the settings that place the server (address,
port, directories, who may log in) differ from a stock install; the
clients are real clients (psql, Debian's urllib3) or a few lines of Python
speaking plain HTTP. gunicorn keeps its default keep-alive time (2 s); its
one knob is the worker class that keeps connections alive at all."""
import glob
import re

from lab import expect, label, one_incident, scenario


def postgres_bindir():
    """The newest Debian PostgreSQL install with idle_session_timeout (14+)."""
    found = []
    for d in glob.glob("/usr/lib/postgresql/*/bin"):
        m = re.search(r"/(\d+)/bin$", d)
        if m and int(m.group(1)) >= 14 and glob.glob(d + "/postgres"):
            found.append((int(m.group(1)), d))
    if not found:
        raise RuntimeError("PostgreSQL 14 or later is missing (apt-get install postgresql)")
    return max(found)[1]


@scenario("postgres-idle-session-timeout-v4", "Debian's PostgreSQL, unmodified but for one "
          "documented knob (idle_session_timeout = 1s; the default 0 never closes an idle "
          "session): psql, fed from a pipe, runs SELECT 1, stays idle 2.5 s and sends SELECT 2; "
          "the backend had ended the session after 1 s (FATAL ErrorResponse 57P05, then FIN), "
          "and the late query meets its closed socket")
def postgres_idle_session_timeout(lab):
    lab.topology()
    lab.capture("client")
    bindir = postgres_bindir()
    srv = lab.run("server", f"""
import pwd, shutil, subprocess, tempfile
pw = pwd.getpwnam("postgres")      # postgres refuses to run as root
d = tempfile.mkdtemp()
os.chown(d, pw.pw_uid, pw.pw_gid)
as_pg = dict(user=pw.pw_uid, group=pw.pw_gid, extra_groups=[], cwd=d)
log_file = open(d + "/server.log", "w")
os.chown(d + "/server.log", pw.pw_uid, pw.pw_gid)
subprocess.run([{bindir!r} + "/initdb", "-D", d + "/data", "-U", "postgres", "-A", "trust",
                "-E", "UTF8", "--locale=C", "--no-sync"],
               check=True, stdout=log_file, stderr=log_file, **as_pg)
# Who may log in: initdb's trust lines cover only loopback; add the lab's subnet.
with open(d + "/data/pg_hba.conf", "a") as f:
    f.write("host all all samenet trust\\n")
p = subprocess.Popen([{bindir!r} + "/postgres", "-D", d + "/data",
                      "-c", "listen_addresses={lab.addr('server')}", "-c", "port=5432",
                      "-c", "unix_socket_directories=" + d,
                      "-c", "idle_session_timeout=1s"],          # the one knob
                     stdout=log_file, stderr=log_file, **as_pg)
# Probe only once it says it accepts connections: no refused probes (RSTs) on lo.
end = time.time() + 30
while "ready to accept connections" not in open(d + "/server.log").read():
    if p.poll() is not None or time.time() > end:
        raise RuntimeError("postgres did not start: " + open(d + "/server.log").read())
    time.sleep(0.05)
wait_listening({lab.addr('server')!r}, 5432)
ready()
time.sleep(5.0)
p.send_signal(2)    # SIGINT: fast shutdown
p.wait()
log(open(d + "/server.log").read())
shutil.rmtree(d, ignore_errors=True)
""", wait_ready=True)
    cli = lab.run("client", f"""
import subprocess
p = subprocess.Popen(["psql", "-X", "-q", "-d",
                      "host={lab.addr('server')} port=5432 user=postgres dbname=postgres "
                      "sslmode=disable"],
                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                     text=True)
p.stdin.write("SELECT 1;\\n")
p.stdin.flush()
time.sleep(2.5)           # idle_session_timeout (1 s) ends the session meanwhile
p.stdin.write("SELECT 2;\\n")
p.stdin.flush()
out, err = p.communicate(timeout=10)    # closes psql's stdin: it ends
print(out.replace("\\n", " | "))
print(err.replace("\\n", " | "))
print("psql exit", p.returncode)
""")
    out = cli.wait()
    srv.wait()
    # The design, as psql saw it: the first query answered, the session ended
    # by the timeout (57P05, read after the late query went out), psql gone.
    if "idle-session timeout" not in out or "psql exit 2" not in out:
        raise RuntimeError(f"psql did not see the idle-session timeout: {out}")

    def labeller(rsts):
        # The backend's FIN was acknowledged by the client's stack 1.5 s before
        # psql wrote SELECT 2: the orphaned socket (a TIME_WAIT mini-socket)
        # answers it.
        expect(rsts[0], "server", "TCP_TIMEWAIT_SOCKET")
        return ([label("data-after-fin", "ignored-fin")] +
                [label("reset-followup") for _ in rsts[1:]])
    return labeller


@scenario("nginx-proxy-read-timeout-v4", "Debian's nginx as a reverse proxy (proxy_pass), "
          "unmodified but for one documented knob (proxy_read_timeout 1s; the default is 60 s), "
          "in front of an upstream that answers after 2 s; nginx runs in the client namespace, "
          "since on the captured upstream leg it is the client (it sends the SYN), and a user "
          "reaches it over loopback; after 1 s nginx answers the user 504 and closes the upstream "
          "connection (FIN, acknowledged), and the upstream's late response meets nginx's closed "
          "socket; captured on interface any (both legs)", capture_point="client")
def nginx_proxy_read_timeout(lab):
    lab.topology()
    upstream = lab.run("server", f"""
s = listen({lab.addr('server')!r}, 8081)
ready()
c, _ = s.accept()
c.recv(4096)              # nginx's request (HTTP/1.0, Connection: close)
time.sleep(2.0)           # the slow handler; nginx's FIN arrives after 1 s
c.sendall(http_response(b"late\\n", extra="Connection: close\\r\\n"))
time.sleep(0.5)           # close only after nginx's RST: no FIN racing it
c.close()
""", wait_ready=True)
    proxy = lab.run("client", f"""
import subprocess, tempfile
d = tempfile.mkdtemp()
with open(d + "/nginx.conf", "w") as f:
    f.write('''
pid {{d}}/nginx.pid;
error_log {{d}}/error.log;
events {{ }}
http {{
    access_log off;
    client_body_temp_path {{d}}/body;
    proxy_temp_path {{d}}/proxy;
    server {{
        listen 127.0.0.1:8080;
        location / {{
            proxy_pass http://{lab.addr('server')}:8081;
            proxy_read_timeout 1s;
        }}
    }}
}}
'''.replace("{{d}}", d))
p = subprocess.Popen(["nginx", "-p", d, "-c", d + "/nginx.conf", "-g", "daemon off;"],
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
wait_listening("127.0.0.1", 8080)
ready()
time.sleep(5.0)
p.terminate()
p.wait()
print(open(d + "/error.log").read())
""", wait_ready=True)
    # Capture once nginx listens, so its readiness probe is not in it.
    lab.capture("client", iface="any")
    user = lab.run("client", """
c = connect("127.0.0.1", 8080)
c.sendall(http_request("/slow", extra="Connection: close\\r\\n"))
print(drain(c, timeout=3.0).split(b"\\r\\n")[0].decode())
c.close()
""")
    status = user.wait()
    upstream.wait()
    errors = proxy.wait()
    # The design, as the user and nginx saw it: a 504 after nginx's upstream timeout.
    if " 504 " not in status or "upstream timed out" not in errors:
        raise RuntimeError(f"no 504 after an upstream timeout: {status.strip()} / {errors.strip()}")

    def labeller(rsts):
        # On the upstream leg nginx is the client. Its FIN was acknowledged by
        # the upstream's stack 1 s before the late response; nginx's orphaned
        # socket (a TIME_WAIT mini-socket) answers that response.
        if rsts and rsts[0]["dport"] != 8081:
            raise RuntimeError(f"frame {rsts[0]['frame']}: a RST off the upstream leg")
        expect(rsts[0], "client", "TCP_TIMEWAIT_SOCKET")
        return ([label("data-after-fin", "ignored-fin", alternatives=["response-timeout"])] +
                [label("reset-followup") for _ in rsts[1:]])
    return labeller


def nginx_conf(d, listen, keepalive_timeout):
    """A minimal nginx.conf answering 200 "ok", with keepalive_timeout set."""
    return f'''
pid {d}/nginx.pid;
error_log {d}/error.log;
events {{ }}
http {{
    access_log off;
    keepalive_timeout {keepalive_timeout};
    client_body_temp_path {d}/body;
    server {{
        listen {listen};
        location / {{ return 200 "ok\\n"; }}
    }}
}}
'''


# The path's delay: 200 ms each way (the lab's delay line, since this kernel
# has no netem), so a round trip takes 400 ms.
URLLIB3_DELAY = 0.2
URLLIB3_REUSE_AFTER = 0.8


@scenario("urllib3-pool-race-v4", "Debian's python3-urllib3 (a PoolManager with default "
          "settings) against Debian's nginx, unmodified but for one documented knob "
          "(keepalive_timeout 1s), over a path that delays every packet 200 ms each way; "
          "urllib3 reuses its pooled connection 0.8 s after the first response, while "
          "nginx's idle-close FIN is still on its way (so urllib3's check for a dropped "
          "connection passes), and the request reaches nginx 0.2 s after it closed: nginx's "
          "orphaned socket resets it, urllib3 sees the FIN, retries on a new connection "
          "(default Retry) and gets its answer")
def urllib3_pool_race(lab):
    # The timing, with d = 0.2 s each way, t0 = when urllib3 returned the first
    # response (it left nginx at t0 - d, and nginx's 1 s keep-alive timer
    # started then):
    #   nginx closes, FIN out:            t0 - 0.2 + 1.0  = t0 + 0.8
    #   the FIN reaches the client:       t0 + 0.8 + 0.2  = t0 + 1.0
    # The request must leave after t0 + 0.8 - d (to reach nginx after its
    # close) and before t0 + 1.0 (before the FIN is in the client's socket,
    # where urllib3's check would see it): a window of one round trip,
    # t0 + 0.6 .. t0 + 1.0. Sending in its middle, at t0 + 0.8:
    #   urllib3's check runs at t0 + 0.8: 200 ms before the FIN arrives;
    #   the request reaches nginx at      t0 + 1.0: 200 ms after it closed.
    # Margins of 200 ms on both sides; a 100 ms delay each way (a 200 ms
    # window) could give no more than 100 ms on each.
    # Then: nginx's kernel answers the request with RST (t0 + 1.0, reaching
    # the client at t0 + 1.2); the FIN reaches urllib3 first (t0 + 1.0), as
    # the end of a response that never began: it retries at once on a new
    # connection; the client's FIN on the old one meets nginx's listener.
    lab.topology(delay=URLLIB3_DELAY)
    lab.capture("client")
    url = f"http://{lab.addr('server')}:8080"
    conf = nginx_conf("@D@", f"{lab.addr('server')}:8080", keepalive_timeout="1s")  # the knob
    srv = lab.run("server", f"""
import subprocess, tempfile
d = tempfile.mkdtemp()
with open(d + "/nginx.conf", "w") as f:
    f.write({conf!r}.replace("@D@", d))
p = subprocess.Popen(["nginx", "-p", d, "-c", d + "/nginx.conf", "-g", "daemon off;"],
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
wait_listening({lab.addr('server')!r}, 8080)
ready()
time.sleep(7.0)
p.terminate()
p.wait()
""", wait_ready=True)
    # Debian's urllib3 is /usr/bin/python3's; the lab may run another Python.
    cli = lab.run("client", f"""
import subprocess
code = '''
import logging, sys, time
import urllib3
if not urllib3.__file__.startswith("/usr/lib/python3/dist-packages/"):
    sys.exit("not Debian's urllib3: " + urllib3.__file__)
logging.basicConfig(stream=sys.stdout, level=logging.DEBUG,
                    format="%(relativeCreated)6d ms %(name)s %(message)s")
print("urllib3", urllib3.__version__)
http = urllib3.PoolManager()            # default settings: pooled keep-alive, Retry(3)
r = http.request("GET", "{url}/first")
print("first", r.status, r.data)
time.sleep({URLLIB3_REUSE_AFTER})       # t0 + 0.8: see the timing above
r = http.request("GET", "{url}/second")
print("second", r.status, r.data)
http.clear()                            # close the new connection
time.sleep(1.0)                         # its FIN exchange, 2 x 200 ms away
'''
p = subprocess.run(["/usr/bin/python3", "-c", code], capture_output=True, text=True)
print(p.stdout)
print(p.stderr)
print("exit", p.returncode)
""")
    out = cli.wait(timeout=30)
    srv.wait()
    # The design, as urllib3 saw it: the pooled connection passed its check
    # (no "Resetting dropped connection"), the request on it broke, urllib3
    # retried on a second connection and the second response arrived.
    if ("second 200 b'ok\\n'" not in out or "Retrying (Retry(total=2" not in out or
            "Starting new HTTP connection (2)" not in out or
            "Resetting dropped connection" in out or "exit 0" not in out):
        raise RuntimeError(f"urllib3 did not reuse, fail and retry as designed: {out}")

    def labeller(rsts):
        # The request did not acknowledge nginx's FIN (it left before the FIN
        # arrived): nginx's orphaned FIN_WAIT1 socket resets data arriving
        # after its close (TCP_ABORT_ON_DATA). The client's FIN on that
        # connection, or its ACK of nginx's FIN, then meets no connection,
        # only nginx's listener (TCP_FLAGS).
        expect(rsts[0], "server", "TCP_ABORT_ON_DATA")
        for r in rsts[1:]:
            expect(r, "server", ["TCP_FLAGS", "NO_SOCKET"])
            if (r["sport"], r["dport"]) != (rsts[0]["sport"], rsts[0]["dport"]):
                raise RuntimeError(f"frame {r['frame']}: a RST on another connection")
        return ([label("data-after-fin", "race")] +
                [label("reset-followup") for _ in rsts[1:]])
    return labeller



@scenario("nginx-send-timeout-reset-v4", "Debian's nginx, unmodified but for two documented "
          "knobs (send_timeout 1s, the default being 60 s, and reset_timedout_connection on, "
          "the default off), serving an 8 MB file to a client with a 4 KB receive buffer that "
          "reads the response headers and then stops reading: its window closes, nginx's "
          "write blocks, its zero-window probes are answered with window 0, and after 1 s "
          "without progress nginx times the client out and, as reset_timedout_connection "
          "documents, sets SO_LINGER {1, 0} before close(): tcp_close -> tcp_disconnect "
          "(net/ipv4/tcp.c) sends an active RST with nothing unread, its response data still "
          "unsent (snaplen 128)")
def nginx_send_timeout_reset(lab):
    lab.topology()
    lab.capture("client", snaplen=128)
    srv = lab.run("server", f"""
import subprocess, tempfile
d = tempfile.mkdtemp()
os.chmod(d, 0o755)        # nginx's workers run as www-data
os.mkdir(d + "/www", 0o755)
with open(d + "/www/big", "wb") as f:
    f.write(b"x" * (8 << 20))
os.chmod(d + "/www/big", 0o644)
with open(d + "/nginx.conf", "w") as f:
    f.write(\'\'\'
pid {{d}}/nginx.pid;
error_log {{d}}/error.log info;
events {{ }}
http {{
    access_log off;
    send_timeout 1s;
    reset_timedout_connection on;
    client_body_temp_path {{d}}/body;
    server {{
        listen {lab.addr('server')}:8080;
        location / {{ root {{d}}/www; }}
    }}
}}
\'\'\'.replace("{{d}}", d))
p = subprocess.Popen(["nginx", "-p", d, "-c", d + "/nginx.conf", "-g", "daemon off;"],
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
wait_listening({lab.addr('server')!r}, 8080)
ready()
time.sleep(4.0)
p.terminate()
p.wait()
print(open(d + "/error.log").read())
""", wait_ready=True)
    cli = lab.run("client", f"""
c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)   # before connect: a small window
c.settimeout(5)
c.connect(({lab.addr('server')!r}, 8080))
c.sendall(http_request("/big"))
head = b""
while b"\\r\\n\\r\\n" not in head:
    head += c.recv(1)     # the headers only, a byte at a time; the body stays unread
print(head.split(b"\\r\\n")[0].decode())
time.sleep(3.0)           # not reading: nginx's send_timeout (1 s) runs out meanwhile
try:
    c.recv(1)
    c.recv(1 << 20)
    print("no reset")
except ConnectionResetError:
    print("reset")
c.close()
""")
    out = cli.wait()
    errors = srv.wait()
    # The design, as the client and nginx saw it: a 200, then a reset, and
    # nginx's log says it timed the client out while sending the response.
    if "200 OK" not in out or "reset" not in out.split("\n")[1] or \
            "timed out" not in errors:
        raise RuntimeError(f"nginx did not time out and reset: {out!r} / {errors.strip()}")
    # nginx read the whole request: nothing unread, SO_LINGER 0 -> TCP_STATE.
    return one_incident("server", "TCP_STATE", "linger-abort")

# gunicorn's gthread worker closes idle keep-alive connections only when its
# main loop wakes, and that loop waits up to 1 s for events
# (poller.select(1.0) in gunicorn/workers/gthread.py, 20.1.0): the close comes
# at the first wake-up after the keepalive deadline (2 s after the response),
# 2 to 3 s after the response. Here the wake-ups follow the connection's own
# accept, a few ms before the response, so the close came 3.0 s after the
# response in 11 runs of 14 and 2.0 s in 3 (when, it seems, the main thread
# began its wait only after the request's thread had set the deadline). A
# request 3 s later races the close (3 runs of 4 drew TCP_ABORT_ON_DATA, the
# request crossing the FIN), so the client waits 4 s: 1 s or more past the close.
GUNICORN_NEXT_REQUEST_AFTER = 4.0
GUNICORN_APP = '''
def app(environ, start_response):
    body = b"ok\\n"
    start_response("200 OK", [("Content-Type", "text/plain"),
                              ("Content-Length", str(len(body)))])
    return [body]
'''


@scenario("gunicorn-keepalive-default-v4", "Debian's gunicorn serving a tiny WSGI app, "
          "unmodified but for one documented knob (--worker-class gthread: the default sync "
          "worker does not keep connections alive), its keepalive left at the documented "
          "default of 2 s; a client (http.client) keeps the connection and sends its next "
          "request 4 s after the first answer; the gthread worker had closed the idle "
          "connection (its event loop wakes once a second, so that comes 2 to 3 s after the "
          "answer, mostly 3 s) and the request meets gunicorn's closed socket")
def gunicorn_keepalive_default(lab):
    lab.topology()
    lab.capture("client")
    srv = lab.run("server", f"""
import subprocess, tempfile
d = tempfile.mkdtemp()
with open(d + "/app.py", "w") as f:
    f.write({GUNICORN_APP!r})
log_file = open(d + "/gunicorn.log", "w")
p = subprocess.Popen(["/usr/bin/gunicorn", "--worker-class", "gthread",      # the one knob
                      "--bind", "{lab.addr('server')}:8000", "--chdir", d, "app:app"],
                     stdout=log_file, stderr=log_file)
# Probe only once the worker is up (the arbiter binds before it boots
# workers), so no refused probe adds a RST on the server's loopback.
end = time.time() + 30
while "Booting worker" not in open(d + "/gunicorn.log").read():
    if p.poll() is not None or time.time() > end:
        raise RuntimeError("gunicorn did not start: " + open(d + "/gunicorn.log").read())
    time.sleep(0.05)
wait_listening({lab.addr('server')!r}, 8000)
ready()
time.sleep({GUNICORN_NEXT_REQUEST_AFTER + 3.0})
p.terminate()
p.wait()
print(open(d + "/gunicorn.log").read())
""", wait_ready=True)
    cli = lab.run("client", f"""
import http.client
c = http.client.HTTPConnection({lab.addr('server')!r}, 8000, timeout=5)
c.request("GET", "/first")
r = c.getresponse()
print("first", r.status, r.getheader("Connection"), r.read())
time.sleep({GUNICORN_NEXT_REQUEST_AFTER})    # gunicorn closed the idle connection meanwhile
try:
    c.request("GET", "/second")
    r = c.getresponse()
    print("second", r.status, r.read())
except (ConnectionError, http.client.HTTPException) as e:
    print("second failed:", repr(e))
c.close()
time.sleep(0.3)
""")
    out = cli.wait(timeout=30)
    log = srv.wait(timeout=30)
    # The design, as both sides saw it: gunicorn ran the gthread worker, the
    # first request was answered on a kept-alive connection, the second failed.
    if ("Using worker: gthread" not in log or "first 200 keep-alive" not in out.replace(
            "Keep-Alive", "keep-alive") or "second failed" not in out):
        raise RuntimeError(f"gunicorn did not keep the connection, close it and refuse the "
                           f"late request as designed: {out} / {log}")

    def labeller(rsts):
        # gunicorn's FIN was acknowledged by the client's stack a second or more
        # before the late request: its orphaned socket (a TIME_WAIT
        # mini-socket) answers it.
        expect(rsts[0], "server", "TCP_TIMEWAIT_SOCKET")
        for r in rsts[1:]:
            expect(r, "server", ["TCP_FLAGS", "NO_SOCKET"])
        return ([label("data-after-fin", "ignored-fin")] +
                [label("reset-followup") for _ in rsts[1:]])
    return labeller


@scenario("smtp-quit-no-wait-v4", "Python's smtpd (the standard library's SMTP server) 5 ms "
          "away and a client that ends its session as Postfix's SMTP client does by default "
          "(smtp_skip_quit_response = yes): it writes QUIT and closes the socket without "
          "reading the reply; the server's 221 meets the closed socket, whose kernel resets it")
def smtp_quit_no_wait(lab):
    # 5 ms each way: the 221 must arrive after the client's close(). Sooner
    # (a veth's microseconds), it can be unread in the socket at close(),
    # which then sends a RST instead of the FIN (TCP_ABORT_ON_CLOSE).
    lab.topology(delay=0.005)
    lab.capture("client")
    srv = lab.run("server", f"""
import warnings
warnings.simplefilter("ignore")
import asyncore, smtpd

class Sink(smtpd.SMTPServer):
    def process_message(self, peer, mailfrom, rcpttos, data, **kw):
        return None

Sink(({lab.addr('server')!r}, 25), None)
ready()
deadline = time.time() + 4
while time.time() < deadline:
    asyncore.loop(timeout=0.1, count=1)
""", wait_ready=True)
    lab.run("client", f"""
c = connect({lab.addr('server')!r}, 25)
f = c.makefile("rb")
f.readline()                                  # 220 greeting
for line in (b"HELO lab\\r\\n", b"MAIL FROM:<a@lab>\\r\\n", b"RCPT TO:<b@lab>\\r\\n",
             b"DATA\\r\\n", b"Subject: t\\r\\n\\r\\nhello\\r\\n.\\r\\n"):
    c.sendall(line)
    f.readline()                              # 250, 250, 250, 354, 250
# QUIT held back (MSG_MORE) so that close() sends it with the FIN, in one
# segment: the server's 221 then acknowledges both, with no ACK of its own
# for the FIN, and its FIN follows: two RSTs, whatever the timing.
c.send(b"QUIT\\r\\n", socket.MSG_MORE)
f.close()
c.close()                                     # without waiting for the 221
time.sleep(1.0)
""").wait()
    srv.wait()

    def labeller(rsts):
        expect(rsts[0], "client", "TCP_ABORT_ON_DATA")
        return [label("data-after-fin", "quit-reply")] + [label("reset-followup")
                                                          for _ in rsts[1:]]
    return labeller
