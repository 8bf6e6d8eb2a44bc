// node-redis ("redis" on npm) with its default settings against one KV port:
// node node-redis.mjs PORT server|broker|strong-broker. Prints one line per step; a failed check throws (exit 1).
import assert from 'node:assert/strict';
import { createClient } from 'redis';

const [port, kind] = [Number(process.argv[2]), process.argv[3]];
const P = 'compat_node_';
const RECORD = '{ "name" : "John" ; "age" : 22 }';

const client = await createClient({ socket: { host: '127.0.0.1', port } }).connect();
const info = await client.sendCommand(['CLIENT', 'INFO']);
console.log(`node-redis, ${/resp=(\d)/.exec(String(info))[0]}`);

await client.sendCommand(['DEL', P + 'john', P + 'tx', P + 'dpx', P + 'json']); // a server with a data directory keeps them

// GET/QUERY/PUT/DELETE through the generic command call
assert.equal(await client.sendCommand(['PUT', P + 'john', RECORD]), 'OK');
assert.equal(await client.sendCommand(['GET', P + 'john']), RECORD);
assert.equal(await client.sendCommand(['QUERY', P + 'john.age']), '22');
assert.equal(await client.sendCommand(['GET', P + 'absent']), null);
assert.equal(await client.type(P + 'john'), 'ReJSON-RL');
assert.equal(await client.exists([P + 'john', P + 'absent']), 1);
assert.equal(await client.sendCommand(['DELETE', P + 'john']), 1);
console.log('ok generic: PUT GET QUERY TYPE EXISTS DELETE');

// the default pipeline: commands sent in the same tick go out together, answered in order
await client.sendCommand(['PUT', P + 'dpx', '{ "v" : 1 }']);
const replies = await Promise.all([
  client.sendCommand(['DEL', P + 'dpx']),
  client.sendCommand(['PUT', P + 'dpx', '{ "v" : 3 }']),
  client.sendCommand(['GET', P + 'dpx']),
]);
assert.deepEqual(replies, [1, 'OK', '{ "v" : 3 }']);
assert.equal(await client.get(P + 'dpx'), '{ "v" : 3 }');
console.log('ok pipeline (same tick): DEL, PUT, GET in order');

// multi().exec() is MULTI/EXEC: refused, nothing applied (a strong broker runs it as one entry of
// the key's Raft group); execAsPipeline() sends it without MULTI
if (kind === 'strong-broker') {
  assert.deepEqual(await client.multi().addCommand(['PUT', P + 'tx', RECORD]).exec(), ['OK']);
  assert.equal(await client.get(P + 'tx'), RECORD);
} else {
  await assert.rejects(
    client.multi().addCommand(['PUT', P + 'tx', RECORD]).exec(),
    (e) => /MULTI is not supported|EXECABORT/.test(String(e?.message) + String(e?.errors?.[0]?.message)));
  assert.equal(await client.get(P + 'tx'), null);
}
const piped = await client.multi().addCommand(['DEL', P + 'dpx']).addCommand(['PUT', P + 'dpx', '{ "v" : 4 }'])
  .addCommand(['GET', P + 'dpx']).execAsPipeline();
assert.deepEqual(piped, [1, 'OK', '{ "v" : 4 }']);
console.log(`ok multi().exec(): ${kind === 'strong-broker' ? 'executed' : 'refused, nothing applied'}; multi().execAsPipeline(): in order`);

// SCAN iteration
for (let i = 0; i < 25; i++) {
  await client.sendCommand(['PUT', `${P}scan${i}`, `{ "i" : ${i} }`]);
}
const keys = [];
for await (const page of client.scanIterator({ MATCH: P + 'scan*', COUNT: 7 })) {
  keys.push(...page);
}
assert.equal(keys.length, 25);
assert.equal(new Set(keys).size, 25);
assert.equal(await client.del(keys), 25);
console.log('ok scanIterator: 25 keys, each once');

// JSON helpers, where the port has the JSON commands
let hasJson = true;
try {
  await client.json.get(P + 'json-absent');
} catch (e) {
  if (!/unknown command/.test(String(e?.message))) throw e;
  hasJson = false;
}
if (hasJson) {
  assert.equal(await client.json.set(P + 'json', '$', { name: 'John', pets: ['cat'] }), 'OK');
  assert.deepEqual(await client.json.get(P + 'json'), { name: 'John', pets: ['cat'] });
  assert.deepEqual(await client.json.arrAppend(P + 'json', '$.pets', 'dog'), [2]);
  assert.deepEqual(await client.json.get(P + 'json', { path: '$.pets' }), [['cat', 'dog']]);
  await client.del(P + 'json');
  console.log('ok json: set, get, arrAppend');
} else {
  console.log('skip json: JSON.* not on this port');
}
await client.quit();
console.log('done');
