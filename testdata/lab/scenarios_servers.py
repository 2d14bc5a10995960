"""Lab scenarios: real, unmodified Debian servers, each changed by one
documented knob that makes it close or give up after 1 s instead of its
default. Only that knob and the settings that place the server (address,
port, directories, who may log in) differ from a stock install; the
clients are real clients (psql) or a few lines of Python speaking plain
HTTP."""
import glob
import re

from lab import expect, label, scenario


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
