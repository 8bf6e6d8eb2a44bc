// ioredis with its default settings against one KV port: node ioredis.mjs PORT server|broker|strong-broker.
// Prints one line per step; a failed check throws (exit 1).
import assert from 'node:assert/strict';
import Redis from 'ioredis';

const [port, kind] = [Number(process.argv[2]), process.argv[3]];
const P = 'compat_io_';
const RECORD = '{ "name" : "John" ; "age" : 22 }';

const redis = new Redis(port, '127.0.0.1');
console.log(`ioredis, ${/resp=(\d)/.exec(String(await redis.call('CLIENT', 'INFO')))[0]}`);

await redis.call('DEL', P + 'john', P + 'tx', P + 'dpx'); // a server with a data directory keeps them

// GET/QUERY/PUT/DELETE through the generic command call
assert.equal(await redis.call('PUT', P + 'john', RECORD), 'OK');
assert.equal(await redis.call('GET', P + 'john'), RECORD);
assert.equal(await redis.call('QUERY', P + 'john.age'), '22');
assert.equal(await redis.call('GET', P + 'absent'), null);
assert.equal(await redis.type(P + 'john'), 'ReJSON-RL');
assert.equal(await redis.exists(P + 'john', P + 'absent'), 1);
assert.equal(await redis.call('DELETE', P + 'john'), 1);
console.log('ok generic: PUT GET QUERY TYPE EXISTS DELETE');

// the default pipeline (no MULTI): in order
await redis.call('PUT', P + 'dpx', '{ "v" : 1 }');
const replies = await redis.pipeline().call('DEL', P + 'dpx').call('PUT', P + 'dpx', '{ "v" : 3 }')
  .call('GET', P + 'dpx').exec();
assert.deepEqual(replies, [[null, 1], [null, 'OK'], [null, '{ "v" : 3 }']]);
assert.equal(await redis.get(P + 'dpx'), '{ "v" : 3 }');
console.log('ok pipeline(): DEL, PUT, GET in order');

// multi() is MULTI/EXEC: refused, nothing applied (a strong broker runs it as one entry of the key's Raft group)
if (kind === 'strong-broker') {
  assert.deepEqual(await redis.multi().call('PUT', P + 'tx', RECORD).exec(), [[null, 'OK']]);
  assert.equal(await redis.get(P + 'tx'), RECORD);
  console.log('ok multi(): executed');
} else {
  await assert.rejects(redis.multi().call('PUT', P + 'tx', RECORD).exec(),
    (e) => /EXECABORT/.test(e.message) && /MULTI is not supported/.test(String(e.previousErrors?.[0]?.message)));
  assert.equal(await redis.get(P + 'tx'), null);
  console.log('ok multi(): refused, nothing applied');
}

// SCAN iteration
for (let i = 0; i < 25; i++) {
  await redis.call('PUT', `${P}scan${i}`, `{ "i" : ${i} }`);
}
const keys = [];
await new Promise((resolve, reject) => {
  redis.scanStream({ match: P + 'scan*', count: 7 }).on('data', (page) => keys.push(...page))
    .on('end', resolve).on('error', reject);
});
assert.equal(keys.length, 25);
assert.equal(new Set(keys).size, 25);
assert.equal(await redis.del(...keys), 25);
console.log('ok scanStream: 25 keys, each once');
console.log('skip json: ioredis has no JSON helpers (redis.call(\'JSON.SET\', ...) where the port has them)');
await redis.quit();
console.log('done');
