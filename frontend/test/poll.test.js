// withNetworkRetries: fetch's TypeError is retried with back-off, other errors are not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffMs, withNetworkRetries } from '../src/poll.js';

const noSleep = { sleep: async () => {} };

test('a poll that fails twice on the network, then answers, returns the answer', async () => {
  let calls = 0;
  const slept = [];
  const answer = await withNetworkRetries(async () => {
    calls += 1;
    if (calls <= 2) throw new TypeError('Failed to fetch');
    return 'status';
  }, { sleep: async (ms) => slept.push(ms) });
  assert.equal(answer, 'status');
  assert.equal(calls, 3);
  assert.deepEqual(slept, [500, 1000]);
});

test('after the last try the visitor is told to reload, not shown "Failed to fetch"', async () => {
  let calls = 0;
  await assert.rejects(withNetworkRetries(async () => {
    calls += 1;
    throw new TypeError('Failed to fetch');
  }, { tries: 3, ...noSleep }), /connection to the painter was lost\. Reload the page/);
  assert.equal(calls, 3);
});

test('an error that is not the network is thrown at once', async () => {
  let calls = 0;
  await assert.rejects(withNetworkRetries(async () => {
    calls += 1;
    throw new Error('The painting failed.');
  }, noSleep), /The painting failed\./);
  assert.equal(calls, 1);
});

test('the back-off doubles from half a second', () => {
  assert.deepEqual([1, 2, 3, 4].map(backoffMs), [500, 1000, 2000, 4000]);
});
