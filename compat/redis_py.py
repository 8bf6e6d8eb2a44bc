"""redis-py with its default settings against one KV port: python3 redis_py.py PORT server|broker|strong-broker.

Prints one line per step; any failed check raises (exit code 1). Works with Debian's python3-redis
(4.x, RESP2) and redis-py 8 (RESP3 by default)."""
import sys

import redis

PORT, KIND = int(sys.argv[1]), sys.argv[2]
RECORD = b'{ "name" : "John" ; "age" : 22 }'
P = 'compat_py_'


def check(what, got, want):
    if got != want:
        raise AssertionError(f'{what}: got {got!r} (expected: {want!r})')


r = redis.Redis(port=PORT)  # localhost, the client's default protocol, no decoding
proto = r.connection_pool.connection_kwargs.get('protocol') or 2
print(f'redis-py {redis.__version__}, RESP{str(r.client_info().get("resp", proto)).strip()}')

r.execute_command('DEL', P + 'john', P + 'tx', P + 'dpx', P + 'json')  # a server with a data directory keeps them

# GET/QUERY/PUT/DELETE through the generic command call
check('PUT', r.execute_command('PUT', P + 'john', RECORD), b'OK')
check('GET', r.execute_command('GET', P + 'john'), RECORD)
check('QUERY', r.execute_command('QUERY', P + 'john.age'), b'22')
check('GET absent', r.execute_command('GET', P + 'absent'), None)
check('TYPE', r.type(P + 'john'), b'ReJSON-RL')
check('EXISTS', r.exists(P + 'john', P + 'absent'), 1)
check('DELETE', r.execute_command('DELETE', P + 'john'), 1)
print('ok generic: PUT GET QUERY TYPE EXISTS DELETE')

if KIND == 'strong-broker':
    # the default pipeline is MULTI/EXEC: a strong broker runs it as one entry of the key's Raft group
    p = r.pipeline()
    p.execute_command('PUT', P + 'tx', RECORD)
    check('pipeline() (MULTI/EXEC)', p.execute(), [b'OK'])
    check('GET after MULTI/EXEC', r.execute_command('GET', P + 'tx'), RECORD)
    print('ok pipeline(): MULTI/EXEC executed')
else:
    # the default pipeline is MULTI/EXEC: KV refuses it, applies nothing, and says what to use
    refusal = None
    try:
        p = r.pipeline()
        p.execute_command('PUT', P + 'tx', RECORD)
        p.execute()
    except redis.ResponseError as e:
        refusal = str(e)
    if refusal is None or 'MULTI is not supported' not in refusal or 'pipeline(transaction=False)' not in refusal:
        raise AssertionError(f'pipeline() (MULTI/EXEC): got {refusal!r} (expected: MULTI is not supported ...)')
    check('GET after the refused MULTI', r.execute_command('GET', P + 'tx'), None)
    print('ok pipeline(): MULTI/EXEC refused, nothing applied:', refusal[refusal.index('MULTI is'):][:60] + '...')

# a pipeline without MULTI keeps its order
check('PUT', r.execute_command('PUT', P + 'dpx', '{ "v" : 1 }'), b'OK')
p = r.pipeline(transaction=False)
p.execute_command('DEL', P + 'dpx')
p.execute_command('PUT', P + 'dpx', '{ "v" : 3 }')
p.execute_command('GET', P + 'dpx')
check('pipeline(transaction=False)', p.execute(), [1, b'OK', b'{ "v" : 3 }'])
check('GET after the pipeline', r.execute_command('GET', P + 'dpx'), b'{ "v" : 3 }')
print('ok pipeline(transaction=False): DEL, PUT, GET in order')

# SCAN iteration
for i in range(25):
    r.execute_command('PUT', f'{P}scan{i}', f'{{ "i" : {i} }}')
keys = sorted(r.scan_iter(match=P + 'scan*', count=7))
check('scan_iter', keys, sorted(f'{P}scan{i}'.encode() for i in range(25)))
check('DEL of 25 keys', r.delete(*keys), 25)
print('ok scan_iter: 25 keys, each once')

# JSON helpers, where the port has the JSON commands
try:
    r.json().get(P + 'json-absent')
    has_json = True
except redis.ResponseError as e:
    if 'unknown command' not in str(e):
        raise
    has_json = False
if has_json:
    check('json().set', r.json().set(P + 'json', '$', {'name': 'John', 'pets': ['cat']}), True)
    check('json().get', r.json().get(P + 'json'), {'name': 'John', 'pets': ['cat']})
    check('json().arrappend', r.json().arrappend(P + 'json', '$.pets', 'dog'), [2])
    check('json().get $.pets', r.json().get(P + 'json', '$.pets'), [['cat', 'dog']])
    r.execute_command('DEL', P + 'json')
    print('ok json(): set, get, arrappend')
else:
    print('skip json(): JSON.* not on this port')
r.close()
print('done')
