#!/usr/bin/python3
"""Fifth blind hold-out set: real Linux TCP RST captures for rstdiag.

Each scenario is one function (registered with @scenario(n)) that builds its
own network namespaces (prefix h5-<n>-), runs real programs in them (nmap in
three scan types, apache2, nginx (http and stream), sshd, exim4, unbound,
curl, dsniff's tcpkill, small Python clients), captures with tcpdump or dumpcap, and records the kernel's own reason
for every RST it sends from the tracepoint tcp/tcp_send_reset.  Labels come
from the scenario's design; each label names the kernel reasons the design
allows, and a RST whose traced reason is outside them fails the scenario
instead of being guessed at.

New here: scanners, a kernel VXLAN tunnel over an IPv6 underlay, a 6in4
(SIT, IP protocol 41) tunnel with user-space endpoints, a SPAN port that
shows every packet twice (tc mirred on both ports of a bridge), a gzipped
pcapng with an Ethernet and a raw-IP (TUN) interface, a fading lossy
path (a user-space delay line that also drops), an anycast route flip and
RSTs forged by tcpkill.  Its correction of one case of the harness's
duplicate detection (see README.md) is the harness's own now.

Address plan of scenario n: client side 10.55.n.0/24 and fd55:n::/64,
server side 10.55.(100+n).0/24 and fd55:(100+n)::/64 (routed scenarios),
overlays in 10.55.(200+n).0/24 / fd55:(200+n)::/64.

usage: holdout5.py [--list] [--merge] [NAME ...]   (no NAME: every scenario)
The harness (namespaces, tracer, matching, label rules, driver) is
../holdout_harness.py.
"""
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import holdout_harness  # noqa: E402

holdout_harness.configure(__file__, "holdout5", "h5", "10.55", "fd55")
from holdout_harness import *  # noqa: E402,F401,F403

# holdout5's correction of the duplicate detection is the harness's own now
# (holdout_harness.match_events).

NMAP = "/usr/bin/nmap"
APACHE = "/usr/sbin/apache2"
SSHD = "/usr/sbin/sshd"
EXIM = "/usr/sbin/exim4"
UNBOUND = "/usr/sbin/unbound"


# ------------------------------------------------------------------ helpers

def confdir(n, what):
    d = os.path.join(WORK, f"{n}.{what}")
    os.makedirs(d, exist_ok=True)
    os.chmod(d, 0o777)
    return d


def apache_conf(n, listen, body="", mods=()):
    """A minimal Debian apache2 (mpm_event) configuration; pid, logs and
    docroot in work/n.apache/."""
    d = confdir(n, "apache")
    doc = os.path.join(d, "htdocs")
    os.makedirs(doc, exist_ok=True)
    os.chmod(doc, 0o755)
    write(os.path.join(doc, "index.html"), "<html><body><h1>lab</h1></body></html>\n")
    M = "/usr/lib/apache2/modules"
    load = "".join(f"LoadModule {m}_module {M}/mod_{m}.so\n"
                   for m in ("mpm_event", "authz_core", "mime", "dir", *mods))
    listens = "".join(f"Listen {x}\n" for x in listen)
    return write(os.path.join(d, "apache2.conf"), f"""{load}
ServerName www.lab.test
ServerRoot {d}
DefaultRuntimeDir {d}
PidFile {d}/apache2.pid
Mutex file:{d} default
ErrorLog {d}/error.log
LogLevel info
User www-data
Group www-data
{listens}
DocumentRoot {doc}
<Directory {doc}>
  Require all granted
</Directory>
TypesConfig /etc/mime.types
{body}
"""), doc


def start_apache(net, who, n, listen, body="", mods=(), ready=None):
    conf, doc = apache_conf(n, listen, body, mods)
    net.start(who, [APACHE, "-f", conf, "-DFOREGROUND"], "apache2", ready=ready)
    return doc


def nginx_conf(n, inner):
    d = confdir(n, "nginx")
    return write(os.path.join(d, "nginx.conf"), f"""
load_module /usr/lib/nginx/modules/ngx_stream_module.so;
worker_processes 1;
daemon off;
master_process off;
pid {d}/nginx.pid;
error_log {d}/error.log info;
events {{ worker_connections 64; }}
{inner}
""")


def nginx_http(n, body):
    d = os.path.join(WORK, f"{n}.nginx")
    return nginx_conf(n, f"""http {{
  access_log {d}/access.log;
  client_body_temp_path {d}/body;
  proxy_temp_path {d}/proxy;
  fastcgi_temp_path {d}/fastcgi;
  uwsgi_temp_path {d}/uwsgi;
  scgi_temp_path {d}/scgi;
{body}
}}""")


def start_sshd(net, who, n, listen, extra=""):
    """Debian's OpenSSH sshd with a host key made at run time."""
    d = confdir(n, "sshd")
    key = os.path.join(d, "hostkey")
    if not os.path.exists(key):
        sh("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key)
    os.chmod(key, 0o600)
    os.makedirs("/run/sshd", exist_ok=True)
    cfg = write(os.path.join(d, "sshd_config"), "".join(f"ListenAddress {a}\n" for a in listen) + f"""
Port 22
HostKey {key}
PidFile {d}/sshd.pid
UsePAM no
PasswordAuthentication no
{extra}
""", 0o600)
    return net.start(who, [SSHD, "-D", "-e", "-f", cfg], "sshd",
                     ready=(listen[0].strip("[]"), 22))


def start_exim(net, who, n, iface, acl_connect="accept"):
    """exim4 (Debian's exim4-daemon-light) as a daemon with its own small
    configuration: it accepts no mail (every RCPT is denied)."""
    d = confdir(n, "exim")
    os.makedirs(os.path.join(d, "spool"), exist_ok=True)
    for root, dirs, files in os.walk(d):
        for x in dirs:
            os.chmod(os.path.join(root, x), 0o777)
    conf = write(os.path.join(d, "exim.conf"), f"""
keep_environment =
pipelining_connect_advertise_hosts =
tls_advertise_hosts =
primary_hostname = mx.lab.test
daemon_smtp_ports = 25
local_interfaces = {iface}
acl_smtp_connect = acl_connect
acl_smtp_rcpt = acl_rcpt
log_file_path = {d}/%slog
spool_directory = {d}/spool
begin acl
acl_connect:
  {acl_connect}
acl_rcpt:
  deny
""")
    return net.start(who, [EXIM, "-bdf", "-C", conf, "-oP", os.path.join(d, "exim.pid")], "exim",
                     ready=(iface, 25))


def start_unbound(net, who, n, iface, extra=""):
    d = confdir(n, "unbound")
    conf = write(os.path.join(d, "unbound.conf"), f"""
server:
  interface: {iface}
  port: 53
  do-daemonize: no
  username: ""
  chroot: ""
  directory: "{d}"
  pidfile: "{d}/unbound.pid"
  use-syslog: no
  logfile: ""
  verbosity: 1
  access-control: 10.55.0.0/16 allow
  access-control: fd55::/16 allow
  module-config: "iterator"
  local-zone: "lab.test." static
  local-data: "api.lab.test. 300 IN A 10.55.250.10"
  local-data: "api.lab.test. 300 IN AAAA fd55:250::10"
  local-data: "www.lab.test. 300 IN A 10.55.250.11"
  local-data: "www.lab.test. 300 IN AAAA fd55:250::11"
  local-data: "db.lab.test. 300 IN A 10.55.250.12"
{extra}
""")
    return net.start(who, [UNBOUND, "-d", "-c", conf], "unbound", ready=(iface, 53))


def tshark_fields(path, flt, *fields):
    p = sh("tshark", "-r", path, "-Y", flt, "-T", "fields", *sum([["-e", f] for f in fields], []),
           "-E", "occurrence=l")
    return [line.split("\t") for line in p.stdout.splitlines()]


def flow_payload(path, r):
    """Bytes of TCP payload each way on the RST's flow before it: (from the
    RST's sender, to it)."""
    a, b = r["src"], r["dst"]
    rows = tshark_fields(path, f"tcp.port=={a[1]} && tcp.port=={b[1]} && frame.number < {r['frame']}",
                         "tcp.srcport", "tcp.len")
    out = [0, 0]
    for sport, ln in rows:
        out[0 if int(sport) == a[1] else 1] += int(ln or 0)
    return out


# ------------------------------------------------------------------ scanners

PROBE_NOTE = ("nmap's raw SYN drew a SYN-ACK from an open port; the scanning host's kernel has no "
              "socket for nmap's raw probe and resets it: the half-open probe of a SYN scan")


@scenario(1)
def nmap_syn_scan_scanner_kernel_resets_v4(net):
    """nmap -sS (a SYN scan) of three ports of a web server: the two open ports' SYN-ACKs are reset by the scanning host's own kernel, the closed port answers RST+ACK (captured at the scanner).

    An administrator checks which ports a new web host exposes: `nmap -sS
    -Pn -n -p 80,3306,8443 --max-retries 0` from 10.55.1.1 against
    10.55.1.2, where Debian's apache2 listens on 80 and 8443 and nothing on
    3306 (the database was moved).  nmap sends its SYNs from a raw socket:
    for 80 and 8443 the server answers SYN-ACK, and since no socket of the
    scanner's own kernel owns the probe's port, that kernel answers each
    SYN-ACK with a RST (NO_SOCKET): the half-open connection a SYN scan
    leaves.  3306 is refused by the server's kernel with RST+ACK
    (NO_SOCKET).  Captured at the scanner (pcap, microseconds).
    """
    n = 1
    direct(net, n)
    start_apache(net, "s", n, [f"{a4(n, 2)}:80", f"{a4(n, 2)}:8443"], ready=(a4(n, 2), 8443))
    # ARP before the capture
    net.x("c", "ping", "-c", "1", "-W", "1", a4(n, 2), check=False)
    fname = "nmap-syn-scan-scanner-kernel-resets-v4.pcap"
    net.capture("c", ["c0"], os.path.join(OUT, fname))
    p = net.start("c", [NMAP, "-sS", "-Pn", "-n", "-p", "80,3306,8443", "--max-retries", "0",
                        "--scan-delay", "100ms", a4(n, 2)],
                  "nmap")
    wait_exit(p, 60)
    time.sleep(0.5)
    net.stop_captures()
    return fname, Rules([(a4(n, 2), 80), (a4(n, 2), 8443), (a4(n, 2), 3306)], [
        FOLLOWUP(("NO_SOCKET",)),
        (is_server, L("closed-port", "nothing listens on 3306: the server's kernel refused nmap's "
                                     "SYN with RST+ACK", {"NO_SOCKET"})),
        (is_client, L("linger-abort", PROBE_NOTE, {"NO_SOCKET"}, detail="probe",
                      alternatives=["connect-timeout"])),
    ])


def scan_rules(path, servers, what):
    """Labels for connect-based scans: by sender and traced reason, each a
    consequence of how nmap closes its probes (set from the first run and
    fixed: any other reason fails the scenario)."""
    def client_label(r):
        sent, got = flow_payload(path, r)
        reason = r["kernel_reason"]
        if reason == "TCP_STATE":
            if sent == 0 and got == 0:
                return L("linger-abort", f"{what}: nmap connected and closed at once with SO_LINGER "
                                         "0, nothing sent either way", {"TCP_STATE"}, detail="probe")
            return L("linger-abort", f"{what}: nmap closed its probe connection with SO_LINGER 0 "
                                     f"after {sent} bytes sent and {got} received, nothing unread",
                     {"TCP_STATE"}, alternatives=["unread-recv-buffer"])
        if reason == "TCP_ABORT_ON_CLOSE":
            return L("unread-recv-buffer", f"{what}: nmap closed its probe connection with the "
                                           "service's data still unread in its receive buffer",
                     {"TCP_ABORT_ON_CLOSE"}, alternatives=["linger-abort"])
        if reason in ("TCP_TIMEWAIT_SOCKET", "TCP_ABORT_ON_DATA"):
            return DAF(f"{what}: nmap had closed its probe connection (FIN); the service's data "
                       "after it met the closed socket", reasons=(reason,))
        raise RuntimeError(f"frame {r['frame']}: client reason {reason} outside the design")

    def server_label(r):
        reason = r["kernel_reason"]
        if reason == "NO_SOCKET":
            return L("closed-port", f"{what}: nothing listens on port {r['src'][1]}; the server's "
                                    "kernel refused the SYN", {"NO_SOCKET"})
        if reason == "TCP_ABORT_ON_CLOSE":
            return L("unread-recv-buffer", f"{what}: the service closed the probe connection with "
                                           "nmap's probe unread", {"TCP_ABORT_ON_CLOSE"})
        if reason in ("TCP_TIMEWAIT_SOCKET", "TCP_ABORT_ON_DATA"):
            return DAF(f"{what}: the service had closed the connection (FIN); nmap's next probe "
                       "met its closed socket", reasons=(reason,))
        raise RuntimeError(f"frame {r['frame']}: server reason {reason} outside the design")

    return Rules(servers, [
        FOLLOWUP(("NO_SOCKET", "TCP_FLAGS")),
        (is_server, server_label),
        (is_client, client_label),
    ])


@scenario(2)
def nmap_connect_scan_sshd_banner_v6_dumpcap(net):
    """nmap -sT (a connect scan, as an unprivileged user runs it) of four ports over IPv6: closed ports refuse, the open ones are closed by nmap at once, sshd's banner included (pcapng from dumpcap at the server).

    A developer without root scans a test host over IPv6: `nmap -6 -sT -Pn
    -n -p 22,25,80,3389` from [fd55:2::1] against [fd55:2::2], where
    Debian's OpenSSH sshd listens on 22 and apache2 on 80.  A connect scan
    completes each handshake with connect() and closes at once.  25 and
    3389 are refused by the server's kernel (RST+ACK, NO_SOCKET).  For the
    two open ports nmap closes with SO_LINGER 0 (an active RST, TCP_STATE)
    right after the handshake.  sshd writes its version banner as soon as
    it accepts; nmap's RST comes first (in every run so far), but a close
    that found the banner already in nmap's receive buffer would be
    TCP_ABORT_ON_CLOSE, which the rules label unread-recv-buffer.  Captured
    at the server with dumpcap (pcapng).
    """
    n = 2
    direct(net, n)
    srv = a6(n, 2)
    start_sshd(net, "s", n, [f"[{srv}]"])
    start_apache(net, "s", n, [f"[{srv}]:80"], ready=(srv, 80))
    net.x("c", "ping", "-6", "-c", "1", "-W", "1", srv, check=False)
    fname = "nmap-connect-scan-sshd-banner-v6-dumpcap.pcapng"
    path = os.path.join(OUT, fname)
    net.capture("s", ["s0"], path, tool="dumpcap")
    p = net.start("c", ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                        NMAP, "-6", "-sT", "-Pn", "-n", "-p", "22,25,80,3389", "--max-retries", "0", srv],
                  "nmap")
    wait_exit(p, 60)
    time.sleep(0.5)
    net.stop_captures()
    return fname, scan_rules(path, [(srv, 22), (srv, 25), (srv, 80), (srv, 3389)],
                             "nmap connect scan (-sT)")


@scenario(3)
def nmap_version_scan_ssh_smtp_http_router_nano_v4(net):
    """nmap -sV (service detection) of sshd, exim4 and apache2 two hops away: nmap's probes read the banners and send requests, and close their connections (captured at the router, nanosecond pcap).

    Routed: the scanner 10.55.3.1, a router, and a mail host 10.55.103.1
    running Debian's OpenSSH sshd (22), exim4 (25, a small configuration
    that accepts no mail) and apache2 (80).  `nmap -sT -sV -Pn -n -p
    22,25,80 --version-light` first connect-scans the three ports, closing
    each probe with SO_LINGER 0 (an active RST, nothing sent either way:
    TCP_STATE).  Service detection then connects again and waits for a
    banner.  sshd's and exim's come at once; nmap closes each of those
    connections normally (FIN).  sshd closes in turn, but exim answers the
    FIN with "421 lost input connection", which meets nmap's closed socket
    (TCP_ABORT_ON_DATA or TCP_TIMEWAIT_SOCKET, as the 421 meets the socket
    before or after the ACK of its FIN).  apache2 says nothing for 6 s, then gets
    `GET / HTTP/1.0`, answers and closes first.  (This design was fixed
    after the first run; any other reason fails the scenario.)  Captured at
    the router on the server's side (pcap with nanosecond timestamps).
    """
    n = 3
    routed(net, n)
    srv = a4(100 + n, 1)
    start_sshd(net, "s", n, [srv])
    start_exim(net, "s", n, srv)
    start_apache(net, "s", n, [f"{srv}:80"], ready=(srv, 80))
    net.x("c", "ping", "-c", "1", "-W", "1", srv, check=False)
    fname = "nmap-version-scan-ssh-smtp-http-router-nano-v4.pcap"
    path = os.path.join(OUT, fname)
    net.capture("r", ["rs"], path, extra=["--time-stamp-precision=nano"])
    p = net.start("c", [NMAP, "-sT", "-sV", "--version-light", "-Pn", "-n", "-p", "22,25,80", srv],
                  "nmap")
    wait_exit(p, 90)
    time.sleep(1.0)
    net.stop_captures()
    return fname, scan_rules(path, [(srv, 22), (srv, 25), (srv, 80)], "nmap service detection (-sV)")


# ------------------------------------------------------------------ tunnels

@scenario(4)
def nginx_return_444_reset_vxlan6_underlay(net):
    """nginx drops bot requests with `return 444` and reset_timedout_connection on: a GET to /wp-login.php is reset, a POST to /xmlrpc.php is reset with its body unread (IPv6 inside a kernel VXLAN over an IPv6 underlay, captured on the underlay).

    Two hosts joined by a kernel VXLAN (VNI 4097, UDP 4789) whose underlay
    is IPv6 (fd55:4::1 - fd55:4::2); the overlay is IPv6 too (fd55:204::1
    client, fd55:204::2 nginx).  nginx 1.22 blocks probing of WordPress
    paths the common way, `location = /wp-login.php { return 444; }` and
    the same for /xmlrpc.php, with `reset_timedout_connection on`, which
    since 1.15.2 also makes 444 close with SO_LINGER 0.  curl GETs
    /wp-login.php: nginx closes at once with an active RST, nothing unread
    (TCP_STATE).  curl then POSTs 16 KB to /xmlrpc.php (no Expect): nginx
    answers 444 after the headers and closes with the body unread, which
    the kernel turns into TCP_ABORT_ON_CLOSE.  A GET of / gets 200.
    Captured on the client's underlay interface (udp port 4789).
    """
    n = 4
    direct(net, n)
    for who, loc, rem, h in (("c", a6(n, 1), a6(n, 2), 1), ("s", a6(n, 2), a6(n, 1), 2)):
        dev = f"{who}0"
        sh("ip", "-n", net.ns(who), "link", "add", "vx0", "type", "vxlan", "id", "4097", "local", loc,
           "remote", rem, "dstport", "4789", "dev", dev)
        sh("ip", "-n", net.ns(who), "link", "set", "vx0", "up")
        net.addr(who, "vx0", f"{a6(200 + n, h)}/64")
    srv = a6(200 + n, 2)
    conf = nginx_http(n, f"""
  reset_timedout_connection on;
  server {{
    listen [{srv}]:80;
    location = /wp-login.php {{ return 444; }}
    location = /xmlrpc.php {{ return 444; }}
    location / {{ return 200 "ok\\n"; }}
  }}
""")
    net.start("s", ["nginx", "-c", conf], "nginx", ready=(srv, 80))
    net.x("c", "ping", "-6", "-c", "1", "-W", "1", srv, check=False)
    body = os.path.join(WORK, f"{n}.body.xml")
    write(body, "<?xml version=\"1.0\"?><methodCall><methodName>system.multicall</methodName>"
                "<params>" + "<param><value><string>wp.getUsersBlogs admin password</string></value></param>" * 200
          + "</params></methodCall>\n")
    fname = "nginx-return-444-reset-vxlan6-underlay.pcap"
    net.capture("c", ["c0"], os.path.join(OUT, fname), filt="udp port 4789")
    u = f"http://[{srv}]"
    p = net.start("c", ["sh", "-c",
                        f"curl -sS -o /dev/null -w '%{{http_code}}\\n' {u}/wp-login.php; sleep 0.3; "
                        f"curl -sS -o /dev/null -w '%{{http_code}}\\n' -H 'Expect:' "
                        f"-H 'Content-Type: text/xml' --data-binary @{body} {u}/xmlrpc.php; sleep 0.3; "
                        f"curl -sS -o /dev/null -w '%{{http_code}}\\n' {u}/"], "curl")
    wait_exit(p)
    net.stop_captures()
    return fname, Rules([(srv, 80)], [
        FOLLOWUP(),
        (is_server, by_reason({
            "TCP_STATE": L("linger-abort",
                           "nginx `return 444` with reset_timedout_connection on: closed with "
                           "SO_LINGER 0 right after reading the GET, nothing unread", {"TCP_STATE"},
                           alternatives=["unread-recv-buffer"]),
            "TCP_ABORT_ON_CLOSE": L("unread-recv-buffer",
                                    "nginx `return 444` answered the POST's headers by closing the "
                                    "connection; the 16 KB body was unread in its receive buffer "
                                    "(SO_LINGER 0 was set too)", {"TCP_ABORT_ON_CLOSE"},
                                    alternatives=["linger-abort"]),
        })),
    ])


SIT_ENDPOINT = r"""
import fcntl, os, select, socket, struct, sys
ifname, local, remote = sys.argv[1:4]
TUNSETIFF, IFF_TUN, IFF_NO_PI = 0x400454ca, 0x0001, 0x1000
fd = os.open("/dev/net/tun", os.O_RDWR)
fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", ifname.encode(), IFF_TUN | IFF_NO_PI))
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 41)    # IPv6 in IPv4 (6in4, RFC 4213)
s.bind((local, 0))
print("ready", flush=True)
while True:
    r, _, _ = select.select([fd, s], [], [])
    if fd in r:
        pkt = os.read(fd, 65535)
        if pkt and pkt[0] >> 4 == 6:
            s.sendto(pkt, (remote, 0))
    if s in r:
        data, addr = s.recvfrom(65535)
        if addr[0] == remote:
            os.write(fd, data[(data[0] & 15) * 4:])
"""


def sit_tunnel(net, n):
    """direct()'s IPv4 underlay with a 6in4 tunnel over it (user-space
    endpoints: a TUN device and a raw IP-protocol-41 socket on each side;
    this kernel has no sit module).  Overlay V6:(200+n)::1 / ::2."""
    direct(net, n)
    for who, loc, rem, h in (("c", a4(n, 1), a4(n, 2), 1), ("s", a4(n, 2), a4(n, 1), 2)):
        net.py(who, SIT_ENDPOINT, f"sit-{who}", args=("sit6", loc, rem), ready="ready")
        sh("ip", "-n", net.ns(who), "link", "set", "sit6", "mtu", "1480", "up")
        net.addr(who, "sit6", f"{a6(200 + n, h)}/64")


@scenario(5)
def sshd_login_grace_time_6in4_underlay(net):
    """sshd with LoginGraceTime 1 drops a client that stalls before its key exchange; the client's KEXINIT 2.5 s later meets the closed socket (IPv6 over a 6in4 tunnel, captured on the IPv4 underlay).

    A bastion host reached over a 6in4 tunnel (IPv6 in IPv4, protocol 41,
    as tunnel-broker and ISP transition setups carry it; user-space
    endpoints on TUN devices).  Debian's OpenSSH sshd at [fd55:205::2]:22
    has `LoginGraceTime 1` (hardened from the default 120 s).  A client
    (a script speaking SSH, stuck on its side before the key exchange, as
    a client waiting on an agent or a prompt is) connects, exchanges
    version strings, reads sshd's KEXINIT and stalls.  After 1 s sshd
    logs "Timeout before authentication" and its connection process exits:
    FIN, acknowledged by the client's kernel.  2.5 s after connecting the
    client sends its KEXINIT, which meets sshd's closed socket.  Captured
    on the server's underlay interface (`ip proto 41`).
    """
    n = 5
    sit_tunnel(net, n)
    srv = a6(200 + n, 2)
    start_sshd(net, "s", n, [f"[{srv}]"], "LoginGraceTime 1\n")
    net.x("c", "ping", "-6", "-c", "1", "-W", "1", srv, check=False)
    fname = "sshd-login-grace-time-6in4-underlay.pcap"
    net.capture("s", ["s0"], os.path.join(OUT, fname), filt="ip proto 41")
    cli = net.py("c", f"""
import os, socket, struct, time
s = socket.create_connection(("{srv}", 22))
print("banner", s.recv(256), flush=True)
s.sendall(b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\\r\\n")
time.sleep(0.3)
print("got", len(s.recv(65536)), "bytes of KEXINIT", flush=True)
time.sleep(2.2)
names = [b"curve25519-sha256", b"ssh-ed25519", b"aes128-ctr", b"aes128-ctr", b"hmac-sha2-256",
         b"hmac-sha2-256", b"none", b"none", b"", b""]
payload = bytes([20]) + os.urandom(16) + b"".join(struct.pack(">I", len(x)) + x for x in names) + bytes(5)
pad = 8 - (len(payload) + 5) % 8 + 8
pkt = struct.pack(">IB", len(payload) + pad + 1, pad) + payload + bytes(pad)
try:
    s.sendall(pkt)
    time.sleep(0.3)
    print("after KEXINIT", s.recv(100), flush=True)
except OSError as e:
    print("KEXINIT:", e, flush=True)
""", "client")
    wait_exit(cli)
    net.stop_captures()
    return fname, Rules([(srv, 22)], [
        FOLLOWUP(),
        (is_server, DAF("sshd's LoginGraceTime (1 s) expired before the client's key exchange; its "
                        "connection process exited (FIN, acknowledged) and the client's KEXINIT 2.5 s "
                        "after connecting met the closed socket")),
    ])


# ------------------------------------------------------------------ SPAN port

@scenario(6)
def apache_reqtimeout_slowloris_span_twice_v4(net):
    """apache2's mod_reqtimeout (header=1) times out a slowloris-style client that sends its headers a line at a time; its next header line meets the closed socket (a SPAN port mirroring both directions of both switch ports: every packet twice).

    A switch (a Linux bridge) joins the client 10.55.6.1 and Debian's
    apache2 10.55.6.2; its SPAN session mirrors ingress and egress of both
    ports (tc mirred) to a monitor port, so each packet shows twice: once
    as it enters the switch and once as it leaves.  apache2 runs with
    mod_reqtimeout `RequestReadTimeout header=1`.  The client, a
    slowloris-style probe (a slow mobile client looks the same), sends the
    request line and a Host header and then one more header line every 4.5
    s.  1 s after the connection apache answers 408 and closes (its
    lingering close: FIN, then reading for up to 2 s); the next header line
    at 4.5 s meets the closed socket.  Captured at the monitor port.
    """
    n = 6
    net.add("c", "sw", "s", "mon")
    net.veth("c", "c0", "sw", "swc")
    net.veth("s", "s0", "sw", "sws")
    net.veth("sw", "span0", "mon", "mon0")
    sh("ip", "-n", net.ns("sw"), "link", "add", "br0", "type", "bridge")
    for dev in ("swc", "sws"):
        sh("ip", "-n", net.ns("sw"), "link", "set", dev, "master", "br0")
    sh("ip", "-n", net.ns("sw"), "link", "set", "br0", "up")
    for who, h in (("c", 1), ("s", 2)):
        net.addr(who, f"{who}0", f"{a4(n, h)}/24")
    for dev in ("swc", "sws"):
        net.x("sw", "tc", "qdisc", "add", "dev", dev, "clsact")
        for d in ("ingress", "egress"):
            net.x("sw", "tc", "filter", "add", "dev", dev, d, "protocol", "all", "u32", "match", "u32",
                  "0", "0", "action", "mirred", "egress", "mirror", "dev", "span0")
    srv = a4(n, 2)
    start_apache(net, "s", n, [f"{srv}:80"], "RequestReadTimeout header=1 body=5\n",
                 mods=("reqtimeout",), ready=(srv, 80))
    net.x("c", "ping", "-c", "1", "-W", "1", srv, check=False)
    fname = "apache-reqtimeout-slowloris-span-twice-v4.pcap"
    net.capture("mon", ["mon0"], os.path.join(OUT, fname))
    cli = net.py("c", f"""
import socket, time
s = socket.create_connection(("{srv}", 80))
s.sendall(b"GET /index.html HTTP/1.1\\r\\nHost: www.lab.test\\r\\n")
t0 = time.time()
for i in range(2):
    time.sleep(4.5)
    try:
        s.sendall(b"X-Keep-%d: a\\r\\n" % i)
        print(round(time.time() - t0, 2), "sent header line", i, flush=True)
    except OSError as e:
        print("send failed:", e, flush=True)
        break
s.settimeout(0.5)
try:
    print("read", s.recv(1000), flush=True)
except OSError as e:
    print("read failed:", e, flush=True)
""", "client")
    wait_exit(cli, 30)
    net.stop_captures()
    return fname, Rules([(srv, 80)], [
        FOLLOWUP(),
        (is_server, DAF("mod_reqtimeout (header=1) timed the slow request out: apache answered 408 "
                        "and closed (FIN, acknowledged, then its lingering close ended); the client's "
                        "next header line met the closed socket")),
    ])


# ------------------------------------------------------------------ gzipped two-link-type pcapng

TUN_PAIR = r"""
import fcntl, os, select, struct, sys
TUNSETIFF, IFF_TUN, IFF_NO_PI = 0x400454ca, 0x0001, 0x1000
def tun(name):
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    return fd
a, b = tun(sys.argv[1]), tun(sys.argv[2])
print("ready", flush=True)
while True:
    r, _, _ = select.select([a, b], [], [])
    for fd in r:
        os.write(b if fd == a else a, os.read(fd, 65535))
"""


@scenario(7)
def nginx_stream_proxy_timeout_tun_two_linktypes(net):
    """nginx stream (TCP proxy) with proxy_timeout 1s closes both legs of an idle pub/sub session; the backend's push and the subscriber's PING each meet a closed nginx socket (gzipped pcapng from dumpcap: an Ethernet and a raw-IP TUN interface).

    A subscriber 10.55.7.1 reaches a Redis-protocol pub/sub backend through
    nginx's stream module on the proxy host (10.55.7.254:6379; `proxy_pass
    10.55.107.1:6379; proxy_timeout 1s;`, the default being 10 minutes).
    The proxy reaches the backend over a point-to-point VPN link, a TUN
    device (raw IP, no link-layer header; user-space endpoints).  The
    subscriber sends SUBSCRIBE alerts and gets its confirmation, then both
    sides are quiet: after 1 s nginx closes both connections (FIN each,
    acknowledged).  The backend, which does not watch for EOF, pushes a
    message at 2 s: it meets nginx's closed upstream socket (nginx is the
    client there).  The subscriber's PING at 3 s meets nginx's closed
    client-side socket.  dumpcap on both of the proxy's interfaces (p0,
    Ethernet; vpn0, raw IP), then gzip: the file is a .pcapng.gz.
    """
    n = 7
    net.add("c", "p", "s")
    net.veth("c", "c0", "p", "p0")
    net.addr("c", "c0", f"{a4(n, 1)}/24")
    net.addr("p", "p0", f"{a4(n, 254)}/24")
    net.route("c", "default", "via", a4(n, 254))
    net.py("p", TUN_PAIR, "tunpair", args=("vpn0", "vpn1"), ready="ready")
    sh("ip", "-n", net.ns("p"), "link", "set", "vpn1", "netns", net.ns("s"))
    back = a4(100 + n, 1)
    for who, dev, loc, peer in (("p", "vpn0", a4(100 + n, 254), back), ("s", "vpn1", back, a4(100 + n, 254))):
        sh("ip", "-n", net.ns(who), "addr", "add", loc, "peer", peer, "dev", dev)
        sh("ip", "-n", net.ns(who), "link", "set", dev, "up")
    net.py("s", f"""
import socket, threading, time
l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind(("{back}", 6379)); l.listen(8)
print("listening", flush=True)
def serve(c):
    c.recv(1000)
    c.sendall(b"*3\\r\\n$9\\r\\nsubscribe\\r\\n$6\\r\\nalerts\\r\\n:1\\r\\n")
    time.sleep(2.0)
    try:
        c.sendall(b"*3\\r\\n$7\\r\\nmessage\\r\\n$6\\r\\nalerts\\r\\n$21\\r\\ndisk /var 91% on db-2\\r\\n")
        print("pushed", flush=True)
    except OSError as e:
        print("push failed", e, flush=True)
    time.sleep(2)
    c.close()
while True:
    c, _ = l.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
""", "backend", ready="listening")
    conf = nginx_conf(n, f"""stream {{
  server {{
    listen {a4(n, 254)}:6379;
    proxy_pass {back}:6379;
    proxy_timeout 1s;
  }}
}}""")
    net.start("p", ["nginx", "-c", conf], "nginx", ready=(a4(n, 254), 6379))
    net.x("c", "ping", "-c", "1", "-W", "1", a4(n, 254), check=False)
    raw = os.path.join(WORK, f"{n}.capture.pcapng")
    net.capture("p", ["p0", "vpn0"], raw, tool="dumpcap")
    cli = net.py("c", f"""
import socket, time
s = socket.create_connection(("{a4(n, 254)}", 6379))
s.sendall(b"*2\\r\\n$9\\r\\nSUBSCRIBE\\r\\n$6\\r\\nalerts\\r\\n")
print("confirm", s.recv(1000), flush=True)
time.sleep(3.0)
try:
    s.sendall(b"*1\\r\\n$4\\r\\nPING\\r\\n")
    time.sleep(0.3)
    print("after PING", s.recv(1000), flush=True)
except OSError as e:
    print("PING:", e, flush=True)
""", "subscriber")
    wait_exit(cli)
    time.sleep(0.3)
    net.stop_captures()
    fname = "nginx-stream-proxy-timeout-tun-two-linktypes.pcapng.gz"
    with open(os.path.join(OUT, fname), "wb") as f:
        subprocess.run(["gzip", "-9", "-n", "-c", raw], stdout=f, check=True)
    return fname, Rules([(a4(n, 254), 6379), (back, 6379)], [
        FOLLOWUP(),
        (is_client, DAF("nginx's stream proxy_timeout (1 s) closed the idle upstream connection "
                        "(FIN, acknowledged); the backend, not watching for EOF, pushed a message 2 s "
                        "after the subscription and it met nginx's closed upstream socket")),
        (is_server, DAF("nginx's stream proxy_timeout (1 s) closed the idle subscriber connection "
                        "(FIN, acknowledged); the subscriber's PING 3 s after subscribing met nginx's "
                        "closed socket")),
    ])


# ------------------------------------------------------------------ lossy, slow path

LOSSY_LINE = r"""
import os, random, socket, sys, threading, time
D, LOSS, FADE = float(sys.argv[1]), float(sys.argv[2]), sys.argv[5]
rng = random.Random(5)
def sock(dev):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    s.bind((dev, 0))
    return s
def line(src, dst, to_client):
    q, cv = [], threading.Condition()
    def out():
        while True:
            with cv:
                while not q:
                    cv.wait()
                t, pkt = q[0]
                now = time.monotonic()
                if t > now:
                    cv.wait(t - now)
                    continue
                q.pop(0)
            dst.send(pkt)
    threading.Thread(target=out, daemon=True).start()
    dropped = 0
    while True:
        pkt, addr = src.recvfrom(65535)
        if addr[2] == socket.PACKET_OUTGOING:
            continue
        if to_client and len(pkt) > 200 and (os.path.exists(FADE) or rng.random() < LOSS):
            dropped += 1
            continue
        with cv:
            q.append((time.monotonic() + D, pkt))
            cv.notify()
a, b = sock(sys.argv[3]), sock(sys.argv[4])
threading.Thread(target=line, args=(a, b, False), daemon=True).start()
print("lossy line up", flush=True)
line(b, a, True)
"""


@scenario(8)
def curl_speed_limit_fading_lossy_link_v4(net):
    """curl with --speed-limit gives up on a download whose link fades (150 ms each way, 3 % loss, then a 100 % fade); after the fade the server's retransmission meets curl's closed socket (snaplen 96, captured at the client).

    A field device on a poor radio link (a user-space line: 150 ms each
    way, 3 % of the server's data frames lost at random, seeded) fetches a
    firmware image from Debian's apache2 with `curl --speed-limit 10000
    --speed-time 2` (abort when slower than 10 KB/s for 2 s), its receive
    buffer capped at 128 KB (tcp_rmem in its namespace).  2.5 s into the
    transfer the link fades: every data frame from the server is lost.
    curl gives up ("Operation too slow"; its speed check averages over the
    last seconds, so this comes several seconds into the fade), closes the
    socket, and, with everything it had received already read, its kernel
    sends a FIN, which the server acknowledges (the other direction still
    works).  The fade ends 0.3 s after curl exits; apache's kernel, which
    has been retransmitting the lost segment with a growing timeout,
    retransmits it once more and it meets curl's closed socket.  Captured
    at the client, snaplen 96.
    """
    n = 8
    net.add("c", "d", "s")
    net.veth("c", "c0", "d", "dc")
    net.veth("s", "s0", "d", "ds")
    for who, dev, h in (("c", "c0", 1), ("s", "s0", 2)):
        net.addr(who, dev, f"{a4(n, h)}/24")
        net.x(who, "ethtool", "-K", dev, "tx", "off", "tso", "off", "gso", "off", "gro", "off")
    for dev in ("dc", "ds"):
        net.x("d", "ethtool", "-K", dev, "tx", "off", "tso", "off", "gso", "off", "gro", "off")
        sh("ip", "-n", net.ns("d"), "link", "set", dev, "promisc", "on")
    fade = os.path.join(WORK, f"{n}.fade")
    if os.path.exists(fade):
        os.unlink(fade)
    net.py("d", LOSSY_LINE, "lossyline", args=(0.15, 0.03, "dc", "ds", fade), ready="lossy line up")
    net.sysctl("c", "net.ipv4.tcp_rmem", "4096 65536 131072")
    srv = a4(n, 2)
    doc = start_apache(net, "s", n, [f"{srv}:80"], ready=(srv, 80))
    img = os.path.join(doc, "firmware-4.2.1.bin")
    if not os.path.exists(img) or os.path.getsize(img) != (8 << 20):
        with open(img, "wb") as f:
            f.write(os.urandom(8 << 20))
    os.chmod(img, 0o644)
    net.x("c", "ping", "-c", "1", "-W", "2", srv, check=False)
    fname = "curl-speed-limit-fading-lossy-link-v4.pcap"
    net.capture("c", ["c0"], os.path.join(OUT, fname), snaplen=96)
    p = net.start("c", ["curl", "-sS", "-o", "/dev/null", "--speed-limit", "10000", "--speed-time", "2",
                        "-w", "%{http_code} %{size_download}\\n", f"http://{srv}/firmware-4.2.1.bin"], "curl")
    time.sleep(2.5)
    write(fade, "fade\n")
    try:
        p.wait(20)
    except subprocess.TimeoutExpired:
        pass
    time.sleep(0.3)
    os.unlink(fade)
    time.sleep(14.0)
    net.stop_captures()
    os.unlink(img)
    note = ("curl's --speed-limit gave up during the link's fade and closed; the server's "
            "retransmission after the fade met curl's closed socket")
    return fname, Rules([(srv, 80)], [
        FOLLOWUP(),
        (is_client, by_reason({
            "TCP_TIMEWAIT_SOCKET": DAF(note + " (FIN, acknowledged)", alternatives=["response-timeout"]),
            "TCP_ABORT_ON_DATA": DAF(note + " (FIN)", alternatives=["response-timeout"]),
            "TCP_ABORT_ON_CLOSE": L("unread-recv-buffer", "curl's --speed-limit gave up and closed "
                                    "with received data unread", {"TCP_ABORT_ON_CLOSE"}),
        })),
    ])


# ------------------------------------------------------------------ DNS over TCP

DNS_CLIENT = r"""
import random, socket, struct, sys, time
def q(name, qtype, qid):
    labels = b"".join(bytes([len(x)]) + x.encode() for x in name.split(".")) + b"\0"
    m = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0) + labels + struct.pack(">HH", qtype, 1)
    return struct.pack(">H", len(m)) + m
def answer(s):
    n = struct.unpack(">H", s.recv(2, socket.MSG_WAITALL))[0]
    m = s.recv(n, socket.MSG_WAITALL)
    return struct.unpack(">HHHH", m[:8])
"""


@scenario(9)
def unbound_tcp_idle_timeout_v6_sll(net):
    """unbound (tcp-idle-timeout 1000 ms) closes an idle DNS-over-TCP connection; the stub's next query 2.5 s later meets the closed socket (IPv6, tcpdump -i any with Linux cooked v1 headers, at the server).

    Debian's unbound 1.17 at [fd55:9::2]:53 answers a local zone, with
    `tcp-idle-timeout: 1000` (the default is 30 s).  A stub resolver that
    keeps its TCP connection open, as RFC 7766 allows (dnsdist, systemd-
    resolved over TCP and DoT forwarders do), pipelines two queries
    (api.lab.test AAAA and A), reads both answers, then is idle; its next
    query (www.lab.test AAAA) comes 2.5 s later.  unbound had closed the
    connection after 1 s idle (FIN, acknowledged), so the query meets its
    closed socket.  Captured at the server with `tcpdump -i any -y
    LINUX_SLL` (cooked v1).
    """
    n = 9
    direct(net, n)
    srv = a6(n, 2)
    start_unbound(net, "s", n, srv, "  tcp-idle-timeout: 1000\n")
    fname = "unbound-tcp-idle-timeout-v6-sll.pcap"
    net.capture("s", ["any"], os.path.join(OUT, fname), extra=["-y", "LINUX_SLL"])
    cli = net.py("c", DNS_CLIENT + f"""
s = socket.create_connection(("{srv}", 53))
s.sendall(q("api.lab.test", 28, 0x1a01) + q("api.lab.test", 1, 0x1a02))
print(answer(s), answer(s), flush=True)
time.sleep(2.5)
try:
    s.sendall(q("www.lab.test", 28, 0x1a03))
    print(answer(s), flush=True)
except Exception as e:
    print("third query:", repr(e), flush=True)
""", "stub")
    wait_exit(cli)
    net.stop_captures()
    return fname, Rules([(srv, 53)], [
        FOLLOWUP(),
        (is_server, DAF("unbound's tcp-idle-timeout (1000 ms) closed the idle DNS-over-TCP connection "
                        "(FIN, acknowledged); the stub's next query 2.5 s later met the closed socket")),
    ])


@scenario(12)
def unbound_pipelined_queries_client_reads_one_v4_any(net):
    """A health-check script pipelines three DNS queries over TCP to unbound, reads only the first answer and closes: its kernel resets with the other two answers unread (tcpdump -i any at the client, Linux cooked v2).

    A monitoring check for Debian's unbound at 10.55.12.2:53 opens one TCP
    connection, sends three queries back to back (api, www and db in
    lab.test, A), reads the first answer, decides the resolver is healthy
    and closes the socket.  unbound has answered all three by then, so two
    answers sit unread in the script's receive buffer and its close becomes
    a RST (TCP_ABORT_ON_CLOSE).  Captured at the client with `tcpdump -i
    any` (Linux cooked v2).
    """
    n = 12
    direct(net, n)
    srv = a4(n, 2)
    start_unbound(net, "s", n, srv)
    fname = "unbound-pipelined-queries-client-reads-one-v4-any.pcap"
    net.capture("c", ["any"], os.path.join(OUT, fname), extra=["-y", "LINUX_SLL2"])
    cli = net.py("c", DNS_CLIENT + f"""
s = socket.create_connection(("{srv}", 53))
s.sendall(q("api.lab.test", 1, 0x2b01) + q("www.lab.test", 1, 0x2b02) + q("db.lab.test", 1, 0x2b03))
print("first answer", answer(s), flush=True)
time.sleep(0.2)
s.close()
print("closed", flush=True)
time.sleep(0.5)
""", "check")
    wait_exit(cli)
    net.stop_captures()
    return fname, Rules([(srv, 53)], [
        FOLLOWUP(),
        (is_client, L("unread-recv-buffer",
                      "the health check read the first of three pipelined DNS answers and closed; "
                      "the other two were unread in its receive buffer", {"TCP_ABORT_ON_CLOSE"})),
    ])


# ------------------------------------------------------------------ SMTP

@scenario(10)
def exim_early_talker_sync_error_v4(net):
    """exim4's connect-ACL delay catches a client that talks before the greeting: 554 SMTP synchronization error and close; the bot's MAIL FROM 2.5 s later meets the closed socket (captured at the server).

    Debian's exim4 4.96 on 10.55.10.2:25 with the common early-talker
    defence: `accept delay = 1s` in the connect ACL (smtp_enforce_sync is
    on by default; PIPECONNECT not advertised).  A spam bot connects and
    writes `EHLO` at once, without waiting for the 220.  After the delay
    exim sees the input pending, logs "SMTP protocol synchronization error
    (input sent without waiting for greeting)", answers 554 and closes
    (FIN; it had read the EHLO).  The bot does not read; 2.5 s after
    connecting it writes `MAIL FROM`, which meets exim's closed socket.
    Captured at the server (pcap).
    """
    n = 10
    direct(net, n)
    srv = a4(n, 2)
    start_exim(net, "s", n, srv, acl_connect="accept delay = 1s")
    net.x("c", "ping", "-c", "1", "-W", "1", srv, check=False)
    fname = "exim-early-talker-sync-error-v4.pcap"
    net.capture("s", ["s0"], os.path.join(OUT, fname))
    cli = net.py("c", f"""
import socket, time
s = socket.create_connection(("{srv}", 25))
s.sendall(b"EHLO bulk-4711.example\\r\\n")
time.sleep(2.5)
try:
    s.sendall(b"MAIL FROM:<offers@bulk-4711.example>\\r\\n")
    time.sleep(0.3)
    print("read", s.recv(1000), flush=True)
except OSError as e:
    print("MAIL FROM:", e, flush=True)
""", "bot")
    wait_exit(cli)
    net.stop_captures()
    return fname, Rules([(srv, 25)], [
        FOLLOWUP(),
        (is_server, DAF("exim's connect ACL delay found the client's EHLO sent before the greeting: "
                        "554 synchronization error and close (FIN, acknowledged); the bot's MAIL FROM "
                        "2.5 s after connecting met the closed socket")),
    ])


# ------------------------------------------------------------------ keepalive

@scenario(11)
def sshd_tcpkeepalive_tuned_sysctl_client_link_down_router_v6(net):
    """sshd's TCPKeepAlive with the host's keepalive sysctls tuned (1 s idle, 1 s interval, 2 probes): the client's access link dies, the probes go unanswered and sshd's kernel resets the connection (IPv6, captured at the router).

    Routed over IPv6: a client [fd55:11::1], a router, and Debian's OpenSSH
    sshd at [fd55:111::1]:22 with TCPKeepAlive yes (the default) and
    LoginGraceTime 0; the server namespace sets net.ipv4.tcp_keepalive_time
    = 1, tcp_keepalive_intvl = 1, tcp_keepalive_probes = 2 (as hosts behind
    short NAT timeouts are tuned).  The client connects, exchanges version
    strings and reads sshd's KEXINIT (everything acknowledged), then its
    access link dies (the router's client-side interface goes down).  1 s
    later sshd's kernel probes, twice, 1 s apart, unanswered, then gives the
    connection up with a RST (TCP_KEEPALIVE_TIMEOUT).  Captured on the
    router's server-side interface.
    """
    n = 11
    routed(net, n)
    srv = a6(100 + n, 1)
    for k, v in (("tcp_keepalive_time", 1), ("tcp_keepalive_intvl", 1), ("tcp_keepalive_probes", 2)):
        net.sysctl("s", f"net.ipv4.{k}", v)
    start_sshd(net, "s", n, [f"[{srv}]"], "LoginGraceTime 0\nTCPKeepAlive yes\n")
    net.x("c", "ping", "-6", "-c", "1", "-W", "1", srv, check=False)
    fname = "sshd-tcpkeepalive-tuned-sysctl-client-link-down-router-v6.pcap"
    net.capture("r", ["rs"], os.path.join(OUT, fname))
    cli = net.py("c", f"""
import socket, time
s = socket.create_connection(("{srv}", 22))
print("banner", s.recv(256), flush=True)
s.sendall(b"SSH-2.0-PuTTY_Release_0.78\\r\\n")
time.sleep(0.3)
print("kexinit", len(s.recv(65536)), flush=True)
time.sleep(10)
""", "client")
    wait_log(cli, "kexinit")
    time.sleep(0.2)
    sh("ip", "-n", net.ns("r"), "link", "set", "rc", "down")
    time.sleep(4.5)
    net.stop_captures()
    return fname, Rules([(srv, 22)], [
        FOLLOWUP(),
        (is_server, L("keepalive-timeout",
                      "sshd's TCPKeepAlive with the namespace's keepalive sysctls (1 s, 1 s, 2 probes): "
                      "the probes went unanswered after the client's link died and sshd's kernel gave "
                      "up with a RST", {"TCP_KEEPALIVE_TIMEOUT"})),
    ])


# ------------------------------------------------------------------ more clients and paths

@scenario(13)
def curl_max_filesize_stream_after_headers_v6_dumpcap_snaplen128(net):
    """curl --max-filesize refuses a 6 MB artifact on its Content-Length and closes before the body comes; the artifact store's first chunk meets curl's closed socket (IPv6, two hops, pcapng from dumpcap at the client, snaplen 128).

    Routed over IPv6: a build agent [fd55:13::1], a router, and an artifact
    store at [fd55:113::1]:8081 (Python's http.server, as small internal
    stores are) that answers at once with its headers (Content-Length
    6291456) and then streams the file as it reads it from its backing
    storage, 16 KB every 100 ms after a 300 ms first-byte delay.  The
    agent's download step guards its disk with `curl --max-filesize
    1000000`: curl reads the headers, fails with "Maximum file size
    exceeded" (exit 63) and closes with nothing unread: FIN, acknowledged.
    The store's first chunk then meets curl's closed socket.  Captured at
    the client with dumpcap (pcapng), snaplen 128.
    """
    n = 13
    routed(net, n)
    srv = a6(100 + n, 1)
    net.py("s", f"""
import http.server, os, socket, time
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        size = 6 << 20
        self.send_response(200)
        self.send_header("Content-Type", "application/zstd")
        self.send_header("Content-Length", str(size))
        self.end_headers()
        self.wfile.flush()
        time.sleep(0.3)
        chunk = os.urandom(16384)
        try:
            for i in range(size // len(chunk)):
                self.wfile.write(chunk); self.wfile.flush()
                time.sleep(0.1)
        except OSError as e:
            print("stream ended:", repr(e), flush=True)
class S(http.server.ThreadingHTTPServer):
    address_family = socket.AF_INET6
print("listening", flush=True)
S(("{srv}", 8081), H).serve_forever()
""", "store", ready=(srv, 8081))
    net.x("c", "ping", "-6", "-c", "1", "-W", "1", srv, check=False)
    fname = "curl-max-filesize-stream-after-headers-v6-dumpcap-snaplen128.pcapng"
    net.capture("c", ["c0"], os.path.join(OUT, fname), tool="dumpcap", snaplen=128)
    p = net.start("c", ["sh", "-c", f"curl -sS -o /dev/null --max-filesize 1000000 "
                                    f"http://[{srv}]:8081/builds/app-build-2291.tar.zst; echo exit $?; "
                                    "sleep 1"], "curl")
    wait_exit(p)
    net.stop_captures()
    return fname, Rules([(srv, 8081)], [
        FOLLOWUP(("NO_SOCKET",)),
        (is_client, DAF("curl --max-filesize 1000000 saw Content-Length 6291456 in the headers and "
                        "closed (FIN, acknowledged) before any of the body came; the store's first "
                        "chunk, 300 ms later, met curl's closed socket")),
    ])


@scenario(14)
def ecmp_anycast_flip_keepalive_lands_on_other_node_v4(net):
    """A keep-alive HTTP connection to an anycast service address survives a routing change that sends its packets to another node: that node's listener has no such connection and resets the next request (captured at the client).

    Routed: the client 10.55.14.1, a router, and two nodes that both hold
    the service address 10.55.114.80 (anycast, as an ECMP or anycast
    deployment without connection tracking has it), each running Debian's
    apache2 on port 80 (KeepAlive on, KeepAliveTimeout 15 s, the
    defaults).  The router first sends the address to node 1 (s, link
    10.55.114.0/24 via rs), and the client (Python's http.client, one
    kept connection) gets /status.  Then node 1 is drained: the router's
    route switches to node 2 (s2, its link 10.55.214.0/24).  The client's
    next request, 1 s after the first answer, reaches node 2, whose
    listener has no connection for it and answers with a reply-form RST
    (TCP_FLAGS: a non-SYN segment to a listening socket).  Node 1 still
    holds its connection.  Captured at the client.
    """
    n = 14
    routed(net, n)
    vip = a4(100 + n, 80)
    net.add("s2")
    net.veth("s2", "s20", "r", "rs2")
    net.addr("s2", "s20", f"{a4(200 + n, 1)}/24")
    net.addr("r", "rs2", f"{a4(200 + n, 254)}/24")
    net.route("s2", "default", "via", a4(200 + n, 254))
    for who in ("s", "s2"):
        sh("ip", "-n", net.ns(who), "addr", "add", f"{vip}/32", "dev", "lo")
    net.route("r", f"{vip}/32", "via", a4(100 + n, 1))
    start_apache(net, "s", n, [f"{vip}:80"], "KeepAlive On\nKeepAliveTimeout 15\n", ready=(vip, 80))
    conf2, doc2 = apache_conf(200 + n, [f"{vip}:80"], "KeepAlive On\nKeepAliveTimeout 15\n")
    net.start("s2", [APACHE, "-f", conf2, "-DFOREGROUND"], "apache2-node2", ready=(vip, 80))
    for doc in (os.path.join(WORK, f"{n}.apache", "htdocs"), doc2):
        write(os.path.join(doc, "status"), "ok\n")
    net.x("c", "ping", "-c", "1", "-W", "1", vip, check=False)
    net.x("r", "ping", "-c", "1", "-W", "1", a4(200 + n, 1), check=False)
    fname = "ecmp-anycast-flip-keepalive-lands-on-other-node-v4.pcap"
    net.capture("c", ["c0"], os.path.join(OUT, fname))
    cli = net.py("c", f"""
import http.client, time
c = http.client.HTTPConnection("{vip}", 80)
c.request("GET", "/status"); r = c.getresponse(); print(r.status, r.read(), flush=True)
print("first answer", flush=True)
time.sleep(1.0)
try:
    c.request("GET", "/status"); r = c.getresponse(); print(r.status, r.read(), flush=True)
except Exception as e:
    print("second request:", repr(e), flush=True)
""", "client")
    wait_log(cli, "first answer")
    sh("ip", "-n", net.ns("r"), "route", "replace", f"{vip}/32", "via", a4(200 + n, 1))
    wait_exit(cli)
    net.stop_captures()
    return fname, Rules([(vip, 80)], [
        FOLLOWUP(),
        (is_server, L("peer-lost-state",
                      "a routing change sent the kept connection's packets to another node holding "
                      "the same anycast address; its listener had no such connection and reset the "
                      "next request (reply form, TCP_FLAGS from the listener)", {"TCP_FLAGS"})),
    ])



@scenario(15)
def tcpkill_on_router_kills_scraper_keepalive_v4(net):
    """An operator runs dsniff's tcpkill on a router to kill a metrics scraper's keep-alive connection: tcpkill forges a RST for each packet it sees, in the name of that packet's receiver, about 50 ms late; the first forged RST is stale, the second kills the scraper's socket (captured at the client).

    Routed: a Prometheus-style scraper 10.55.15.1 (Python's http.client, one
    keep-alive connection, GET /metrics every 0.5 s), a router, and Debian's
    apache2 at 10.55.115.1:80 (KeepAlive on).  An operator on the router
    wants the scraper's connection gone and runs the classic `tcpkill -i rc
    -1 host 10.55.15.1 and port 80` (dsniff 2.4; -1: one RST per packet
    seen).  tcpkill never blocks anything: it sniffs, and for every packet
    it sees it injects a RST from that packet's destination to its source,
    seq = the packet's ack number, through the router's raw socket (TTL 64
    on the client's link, where the server's own packets arrive with 63,
    and IP IDs unlike the server's running ones; no kernel socket sends
    them, so there is no tcp_send_reset event).  It reacts to the next
    scrape about 50 ms late, after the exchange (GET, 838-byte answer,
    ACK) is over: the RST forged from the GET carries the ack the answer
    has since moved past, so it is out of window and the client drops it;
    the one forged from the client's ACK is exact and kills the client's
    socket (the one forged from the answer, towards the server, kills the
    server's, and is not on this link).  The next scrape fails at once with
    ECONNRESET, sending nothing.  tcpkill is stopped after the scraper
    exits.  Captured at the client.
    """
    n = 15
    routed(net, n)
    srv = a4(100 + n, 1)
    doc = start_apache(net, "s", n, [f"{srv}:80"], "KeepAlive On\nKeepAliveTimeout 30\n", ready=(srv, 80))
    write(os.path.join(doc, "metrics"), "".join(f"http_requests_total{{code=\"200\",handler=\"/api/{i}\"}} {i * 37}\n"
                                                for i in range(12)))
    net.x("c", "ping", "-c", "1", "-W", "1", srv, check=False)
    fname = "tcpkill-on-router-kills-scraper-keepalive-v4.pcap"
    net.capture("c", ["c0"], os.path.join(OUT, fname))
    cli = net.py("c", f"""
import http.client, time
c = http.client.HTTPConnection("{srv}", 80)
for i in range(8):
    try:
        c.request("GET", "/metrics"); r = c.getresponse(); b = r.read()
        print(round(time.time(), 3), "scrape", i, r.status, len(b), flush=True)
    except Exception as e:
        print(round(time.time(), 3), "scrape", i, "failed:", repr(e), flush=True)
        break
    time.sleep(0.5)
time.sleep(1)
""", "scraper")
    wait_log(cli, "scrape 1 ")
    tk = net.start("r", ["tcpkill", "-i", "rc", "-1", f"host {a4(n, 1)} and port 80"], "tcpkill")
    wait_exit(cli, 20)
    time.sleep(0.3)
    net.kill(tk, signal.SIGTERM)
    net.stop_captures()
    forged = lambda r: r["kernel"] is None
    return fname, Rules([(srv, 80)], [
        (lambda r: forged(r) and not r["prior"],
         L("injected", "tcpkill on the router forged this RST from the receiver's address of the packet "
                       "it had just seen (seq = that packet's ack): TTL 64 where the server's packets "
                       "arrive with 63, and no kernel socket sent it", {None}, origin="middlebox")),
        (forged, lambda r: L("reset-followup",
                             f"another RST forged by tcpkill (one per packet it sees) after frame "
                             f"{r['prior'][0]} had reset the flow", {None}, origin="middlebox")),
        FOLLOWUP(("NO_SOCKET", "TCP_FLAGS"),
                 why="the forged RST had already killed this side's socket, so its kernel answered "
                     "the peer's segment from no socket"),
    ])


if __name__ == "__main__":
    main()
