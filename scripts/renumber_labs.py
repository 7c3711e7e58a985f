#!/usr/bin/env python3
# Renumbers docs/labs/*.md ("# Lab N:") and docs/labs/README.md ("N. [name](name.md)") from examples/index.txt,
# and adds a README line for any lesson it lacks, after the previous lesson's line, from the lesson's YAML.
import re, os

root=os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
names=[l.strip() for l in open(f'{root}/examples/index.txt') if l.strip() and not l.startswith('#')]
readme=open(f'{root}/docs/labs/README.md').read()
def yaml_field(name, key):
    for l in open(f'{root}/examples/{name}.yaml'):
        if l.startswith(key+':'):
            v=l.split(':',1)[1].strip()
            return v[1:-1] if v.startswith('"') else v
lines=readme.split('\n')
for i,n in enumerate(names):
    if not any(re.match(r'\d+\. \[%s\]\(%s\.md\)' % (re.escape(n),re.escape(n)), l) for l in lines):
        prev=names[i-1]
        j=next(k for k,l in enumerate(lines) if re.match(r'\d+\. \[%s\]\(' % re.escape(prev), l))
        lines.insert(j+1, f"0. [{n}]({n}.md) — *{yaml_field(n,'title')}* — {yaml_field(n,'summary')}")
for k,l in enumerate(lines):
    m=re.match(r'\d+\. \[([a-z0-9-]+)\]\(\1\.md\)(.*)', l)
    if m: lines[k]=f"{names.index(m.group(1))+1}. [{m.group(1)}]({m.group(1)}.md){m.group(2)}"
open(f'{root}/docs/labs/README.md','w').write('\n'.join(lines))
for i,n in enumerate(names):
    p=f'{root}/docs/labs/{n}.md'
    if os.path.exists(p):
        s=open(p).read(); s=re.sub(r'^# Lab \d+:', f'# Lab {i+1}:', s, count=1); open(p,'w').write(s)
