import sys, collections
for fn in sys.argv[1:]:
    nd = {}; fr = {}
    for line in open(fn):
        c = line.rstrip('\n').split('\t')
        if c[0]=='ndpi': nd[(c[1],c[2])] = c
        elif c[0]=='free': fr[(c[1],c[2])] = int(c[3])
    by = collections.defaultdict(list)
    for k,c in nd.items():
        p = c[9].split('.')[0] if c[10]=='0' else 'guessed/unknown'
        by[p].append(fr[k])
    allv = sorted(fr.values())
    def pct(v,q): return v[min(len(v)-1,int(len(v)*q))]
    print('==', fn, 'flows', len(allv), 'held-at-free p50/p90/p99/max', pct(allv,.5), pct(allv,.9), pct(allv,.99), allv[-1], 'mean %.0f' % (sum(allv)/len(allv)))
    for p,v in sorted(by.items(), key=lambda x:-len(x[1]))[:8]:
        v.sort(); print('   %-16s n=%4d p50=%5d p90=%5d max=%5d' % (p, len(v), pct(v,.5), pct(v,.9), v[-1]))
    big = sorted(((fr[k],nd[k][1],nd[k][9],nd[k][4],nd[k][5]) for k in nd), reverse=True)[:6]
    for b in big: print('   big', b)
