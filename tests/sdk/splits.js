// MX's official Node SDK (mx-platform-node, unmodified) splitting a transaction and un-splitting
// it against a running mxemu. Run by scripts/sdk-check.sh; by hand:
//   MXEMU_URL=http://127.0.0.1:8089 node tests/sdk/splits.js
'use strict';

const assert = require('node:assert/strict');
const { TransactionsApi } = require('mx-platform-node');
const { config, check, status, connectedMember, main } = require('./harness');

const transactions = new TransactionsApi(config);

main(async () => {
  const { user } = await connectedMember('mxbank');
  const list = (await transactions.listTransactions(user)).data.transactions;
  const parent = list.find((t) => t.amount >= 10);
  let parts;
  await check('createSplitTransactions: the SDK\'s one part and the rest', async () => {
    const r = await transactions.createSplitTransactions(parent.guid, user, {
      transactions: { amount: 2.5, description: 'Coffee', memo: 'split by the SDK' },
    });
    assert.equal(r.status, 200);
    parts = r.data.transactions;
    assert.equal(parts.length, 2);
    assert.equal(parts[0].amount, 2.5);
    assert.equal(parts[0].description, 'Coffee');
    assert.equal(Math.round(parts[1].amount * 100), Math.round(parent.amount * 100) - 250);
    for (const p of parts) assert.equal(p.parent_guid, parent.guid);
  });
  await check('readTransaction: the parent has_been_split', async () => {
    const t = (await transactions.readTransaction(user, parent.guid)).data.transaction;
    assert.equal(t.has_been_split, true);
  });
  await check('createSplitTransactions again: 409', async () => {
    const body = { transactions: { amount: 1 } };
    assert.equal(await status(transactions.createSplitTransactions(parent.guid, user, body)), 409);
  });
  await check('deleteSplitTransactions: 204, the parts gone', async () => {
    assert.equal((await transactions.deleteSplitTransactions(parent.guid, user)).status, 204);
    assert.equal(await status(transactions.readTransaction(user, parts[0].guid)), 404);
    const t = (await transactions.readTransaction(user, parent.guid)).data.transaction;
    assert.equal(t.has_been_split, false);
  });
});
