"""Two network namespaces joined by a veth pair, for the live-mode tests.

The client end is CLIENT_ADDR on C_IF in namespace `<prefix>-c`, the server
end SERVER_ADDR on S_IF in `<prefix>-s`; nothing is routed beyond them.
"""
import subprocess
import sys


def sh(*cmd, check=True):
    return subprocess.run(cmd, check=check, capture_output=True, text=True)


class VethPair:
    def __init__(self, prefix, c_if, s_if, subnet):
        self.ns_c, self.ns_s = prefix + "-c", prefix + "-s"
        self.c_if, self.s_if = c_if, s_if
        self.c_addr, self.s_addr = subnet + ".1", subnet + ".2"

    def __enter__(self):
        self.teardown()
        sh("ip", "netns", "add", self.ns_c)
        sh("ip", "netns", "add", self.ns_s)
        sh("ip", "link", "add", self.c_if, "netns", self.ns_c, "type", "veth",
           "peer", self.s_if, "netns", self.ns_s)
        for ns, ifname, addr in ((self.ns_c, self.c_if, self.c_addr),
                                 (self.ns_s, self.s_if, self.s_addr)):
            sh("ip", "-n", ns, "addr", "add", addr + "/24", "dev", ifname)
            sh("ip", "-n", ns, "link", "set", ifname, "up")
            sh("ip", "-n", ns, "link", "set", "lo", "up")
        return self

    def __exit__(self, *exc):
        self.teardown()

    def teardown(self):
        for ns in (self.ns_c, self.ns_s):
            sh("ip", "netns", "del", ns, check=False)

    def drop_tcp(self, ns, dports):
        """nftables in namespace ns drops TCP to dports (nft syntax: a set
        "{ 81, 82 }" or a range "20000-20007"), as a filtered port does."""
        sh("ip", "netns", "exec", ns, "nft",
           "add table inet flood; "
           "add chain inet flood input { type filter hook input priority 0; }; "
           f"add rule inet flood input tcp dport {dports} drop")

    def python(self, ns, code):
        """Runs a Python program inside namespace ns, with pipes."""
        return subprocess.Popen(["ip", "netns", "exec", ns, sys.executable, "-c", code],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)

    def run(self, ns, argv, **kw):
        """Starts argv inside namespace ns. `ip netns exec` execs it, so the
        Popen's pid is the program's own."""
        return subprocess.Popen(["ip", "netns", "exec", ns] + list(argv), **kw)
