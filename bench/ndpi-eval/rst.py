import sys, collections, ipaddress
def canon(a, pa, b, pb):
    ka = (ipaddress.ip_address(a).packed, pa); kb = (ipaddress.ip_address(b).packed, pb)
    if ka <= kb: return '%s:%d-%s:%d' % (a, pa, b, pb)
    return '%s:%d-%s:%d' % (b, pb, a, pa)
nd = {}
for l in open(sys.argv[1]):
    c = l.rstrip('\n').split('\t')
    if c[0]=='ndpi': nd[(c[1], c[3])] = c
tl = collections.defaultdict(list)
for l in open(sys.argv[2]):
    c = l.rstrip('\n').split('\t')
    if c[0]=='tls': tl[(c[1], c[3])].append(c)
cnt = collections.Counter(); miss = 0; sni = 0; psni = 0; tlsn = 0
for l in open(sys.argv[3]):
    c = l.rstrip('\n').split('\t')
    f, s4, s6, sp, d4, d6, dp = c
    s = (s4 or s6).split(',')[-1]; d = (d4 or d6).split(',')[-1]
    if not s or not sp: miss += 1; continue
    k = (f, canon(s, int(sp.split(',')[-1]), d, int(dp.split(',')[-1])))
    r = nd.get(k)
    if not r: miss += 1; cnt['(not tracked)'] += 1; continue
    p = r[9].split('.')[0] if r[10]=='0' else ('guessed' if r[10]=='1' else 'Unknown')
    if r[10]=='0' and r[9]=='Unknown': p = 'Unknown'
    cnt[p] += 1
    if p == 'TLS':
        tlsn += 1
        if r[11]: sni += 1
    if any(x[5]=='CH' and x[11] for x in tl.get(k, [])): psni += 1
tot = sum(cnt.values())
print('RSTs', tot, ', '.join('%s %d' % kv for kv in cnt.most_common()))
print('RSTs on nDPI-TLS connections', tlsn, 'with nDPI SNI', sni, '; RSTs whose connection has a parser SNI', psni)
