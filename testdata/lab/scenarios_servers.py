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

