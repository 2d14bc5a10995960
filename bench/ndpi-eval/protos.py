import sys, collections
rows = [l.rstrip('\n').split('\t') for l in open(sys.argv[1]) if l.startswith('ndpi\t')]
det = [r for r in rows if r[10]=='0' and r[9]!='Unknown']
print('flows', len(rows), 'named by a dissector', len(det), 'guessed (port/IP)', sum(1 for r in rows if r[10]=='1'), 'unknown', sum(1 for r in rows if r[10]=='0' and r[9]=='Unknown'))
fam = collections.Counter()
for r in det:
    m, a = r[8].split('/')
    p = r[9]
    fam[p.split('.')[0] if '.' in p else p] += 1
print('by master:', ', '.join('%s %d' % kv for kv in fam.most_common()))
sub = collections.Counter(r[9] for r in det if r[9].startswith('TLS.'))
print('TLS flows with an app name', sum(sub.values()), 'distinct', len(sub), 'top:', ', '.join('%s %d' % kv for kv in sub.most_common(8)))
print('fed sum', sum(int(r[5]) for r in rows), 'files', len(set(r[1] for r in rows)))
unk = [r for r in rows if r[10]=='0' and r[9]=='Unknown']
print('unknown by fed_data>0:', sum(1 for r in unk if int(r[6])>0), 'of', len(unk))
g = collections.Counter(r[9] for r in rows if r[10]=='1')
print('guessed:', ', '.join('%s %d' % kv for kv in g.most_common(10)))
