import sys, collections
nd = {}; tl = collections.defaultdict(list)
for line in open(sys.argv[1]):
    c = line.rstrip('\n').split('\t')
    if c[0] == 'ndpi':
        nd[(c[1], c[2])] = dict(tuple=c[3], end=c[4], fed=int(c[5]), fdata=int(c[6]), proto=c[9], guessed=c[10], sni=c[11], alpn=c[12], tlsv=c[13], hello=c[14])
for line in open(sys.argv[2]):
    c = line.rstrip('\n').split('\t')
    if c[0] == 'tls':
        tl[(c[1], c[2])].append(dict(dir=c[4], hs=c[5], need=int(c[6]), complete=c[7], spans=c[8], recv=c[9], ver=c[10], sni=c[11], alpn=c[12]))
def istls(n): return n['proto'].startswith('TLS') and n['guessed']=='0'
ndtls = [k for k,v in nd.items() if istls(v) and v['end']=='detected']
print('nDPI TLS-detected flows', len(ndtls))
print('nDPI TLS with SNI', sum(1 for k in ndtls if nd[k]['sni']))
print('nDPI TLS with ALPN', sum(1 for k in ndtls if nd[k]['alpn']))
print('nDPI any flow with hello_processed', sum(1 for v in nd.values() if v['hello']=='1'))
print('nDPI non-TLS flows with host_server_name', collections.Counter(v['proto'] for v in nd.values() if v['sni'] and not istls(v)))
chs = {k: [r for r in v if r['hs']=='CH'] for k,v in tl.items()}
chs = {k:v for k,v in chs.items() if v}
print('parser flows with CH', len(chs))
def psni(k): return next((r['sni'] for r in chs.get(k,[]) if r['sni']), '')
print('parser SNI (first seg or reasm)', sum(1 for k in chs if psni(k)))
print('parser SNI first seg only', sum(1 for k in chs if any(r['sni'] and r['spans']!='2' for r in chs[k])))
both = set(ndtls) & set(chs)
print('overlap nDPI-TLS & parser-CH', len(both), ' nDPI-TLS not parser-CH', len(set(ndtls)-set(chs)), ' parser-CH not nDPI-TLS', len(set(chs)-set(ndtls)))
for k in sorted(set(ndtls)-set(chs))[:20]: print('  nd-only', k, nd[k])
for k in sorted(set(chs)-set(ndtls))[:20]: print('  parser-only', k, nd.get(k), chs[k])
diff = [k for k in both if nd[k]['sni'] != psni(k)]
print('SNI differs on overlap', len(diff))
for k in diff[:20]: print('  ', k, repr(nd[k]['sni']), repr(psni(k)), chs[k])
spans = [(k,r) for k,v in chs.items() for r in v if r['spans']=='1']
print('spanning CH', len(spans))
for k,r in spans: print('  ', k, r, 'nDPI:', nd.get(k,{}).get('proto'), repr(nd.get(k,{}).get('sni')))
# ALPN comparison
alpn_nd = sum(1 for k in ndtls if nd[k]['alpn'])
alpn_p = sum(1 for k in chs if any(r['alpn'] for r in chs[k]))
print('ALPN client list: nDPI', alpn_nd, 'parser', alpn_p)
sh = {k:[r for r in v if r['hs']=='SH'] for k,v in tl.items()}
print('parser SH', sum(1 for v in sh.values() if v), 'SH with selected ALPN', sum(1 for v in sh.values() if any(r['alpn'] for r in v)),
      'SH spanning', sum(1 for v in sh.values() for r in v if r['spans']=='1'), 'SH tls1.3', sum(1 for v in sh.values() for r in v if r['ver']=='0304'))
adiff = [k for k in both if nd[k]['alpn'] != next((r['alpn'] for r in chs[k] if r['alpn']), '')]
print('ALPN differs', len(adiff)); [print('  ', k, nd[k]['alpn'], chs[k]) for k in adiff[:5]]
