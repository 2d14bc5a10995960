/* tc-bpf programs that push/pop VLAN tags on a veth.  Used because the test
 * kernel has no CONFIG_VLAN_8021Q (no vlan sub-interfaces) and no
 * bridge VLAN filtering.  The tags are real 802.1Q / 802.1ad tags on the wire
 * of the veth; Linux' TCP stack runs on the untagged veth itself.
 * Build: clang -O2 -target bpf -I/usr/include/$(gcc -dumpmachine) -c vlan_tc.c */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>

static long (*bpf_skb_vlan_push)(struct __sk_buff *skb, __u16 proto, __u16 tci) = (void *)BPF_FUNC_skb_vlan_push;
static long (*bpf_skb_vlan_pop)(struct __sk_buff *skb) = (void *)BPF_FUNC_skb_vlan_pop;

#define HTONS(x) ((__u16)((((x) & 0xff) << 8) | (((x) >> 8) & 0xff)))

__attribute__((section("tc/push_q42"), used))
int push_q42(struct __sk_buff *skb)
{
	bpf_skb_vlan_push(skb, HTONS(0x8100), 42);
	return TC_ACT_OK;
}

__attribute__((section("tc/push_qinq"), used))
int push_qinq(struct __sk_buff *skb)
{
	bpf_skb_vlan_push(skb, HTONS(0x8100), 200);  /* inner C-tag */
	bpf_skb_vlan_push(skb, HTONS(0x88a8), 100);  /* outer S-tag */
	return TC_ACT_OK;
}

__attribute__((section("tc/pop_all"), used))
int pop_all(struct __sk_buff *skb)
{
	/* pop up to two tags (outer one is already in skb->vlan_tci) */
	if (skb->vlan_present)
		bpf_skb_vlan_pop(skb);
	if (skb->vlan_present)
		bpf_skb_vlan_pop(skb);
	return TC_ACT_OK;
}

char _license[] __attribute__((section("license"), used)) = "GPL";
