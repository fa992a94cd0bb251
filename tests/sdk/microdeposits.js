// MX's official Node SDK (mx-platform-node, unmodified) calling the microdeposit operations
// against a running mxemu. Run by scripts/sdk-check.sh; by hand:
//   MXEMU_URL=http://127.0.0.1:8089 node tests/sdk/microdeposits.js
'use strict';

const assert = require('node:assert/strict');
const { MicrodepositsApi, UsersApi } = require('mx-platform-node');
const { config, base, check, status, advance, main } = require('./harness');

const microdeposits = new MicrodepositsApi(config);

// The amounts the end user reads off a statement: the emulator's control API shows them.
async function amounts(guid) {
  const r = await fetch(`${base}/_emulator/micro_deposits/${guid}`);
  const m = (await r.json()).micro_deposit;
  return [m.deposit_amount_1, m.deposit_amount_2];
}

main(async () => {
  const user = (await new UsersApi(config).createUser({ user: { id: `sdk-md-${Date.now()}` } }))
    .data.user.guid;
  const request = {
    micro_deposit: {
      account_name: 'Everyday checking',
      account_number: '333312345',
      account_type: 'CHECKING',
      routing_number: '091000019',
      email: `sdk-${Date.now()}@example.com`,
      first_name: 'Pat',
      last_name: 'Lee',
    },
  };
  let guid;
  await check('createMicrodeposit: INITIATED at MX Bank', async () => {
    const r = await microdeposits.createMicrodeposit(user, request);
    assert.equal(r.status, 200);
    guid = r.data.micro_deposit.guid;
    assert.match(guid, /^MIC-/);
    assert.equal(r.data.micro_deposit.status, 'INITIATED');
    assert.equal(r.data.micro_deposit.institution_code, 'mxbank');
  });
  await check('verifyMicrodeposit before the deposits: 409', async () => {
    const body = { micro_deposit: { deposit_amount_1: 0.1, deposit_amount_2: 0.2 } };
    assert.equal(await status(microdeposits.verifyMicrodeposit(guid, body)), 409);
  });
  await advance(180);
  await check('readUserMicrodeposit: DEPOSITED three minutes later', async () => {
    const r = await microdeposits.readUserMicrodeposit(guid, user);
    assert.equal(r.data.micro_deposit.status, 'DEPOSITED');
  });
  await check('listUserMicrodeposits', async () => {
    const list = (await microdeposits.listUserMicrodeposits(user)).data;
    assert.deepEqual(list.micro_deposits.map((m) => m.guid), [guid]);
    assert.equal(list.pagination.total_entries, 1);
  });
  await check('listUserVerifications', async () => {
    const list = (await microdeposits.listUserVerifications(user)).data;
    assert.deepEqual(list.micro_deposit.map((m) => m.guid), [guid]);
  });
  const [a, b] = await amounts(guid);
  await check('verifyMicrodeposit with wrong amounts: DENIED', async () => {
    const body = { micro_deposit: { deposit_amount_1: a, deposit_amount_2: a } };
    const r = await microdeposits.verifyMicrodeposit(guid, body);
    assert.equal(r.data.micro_deposit.status, 'DENIED');
  });
  await check('verifyMicrodeposit with the right amounts: VERIFIED', async () => {
    const body = { micro_deposit: { deposit_amount_1: b, deposit_amount_2: a } };
    const r = await microdeposits.verifyMicrodeposit(guid, body);
    assert.equal(r.data.micro_deposit.status, 'VERIFIED');
    assert.ok(r.data.micro_deposit.verified_at);
  });
  await check('createMicrodeposit with a name and email only: PREINITIATED', async () => {
    const body = { micro_deposit: { first_name: 'Pat', last_name: 'Lee', email: 'pre@example.com' } };
    const r = await microdeposits.createMicrodeposit(user, body);
    assert.equal(r.data.micro_deposit.status, 'PREINITIATED');
  });
  await check('deleteMicrodeposit: 204, then 404', async () => {
    assert.equal((await microdeposits.deleteMicrodeposit(guid, user)).status, 204);
    assert.equal(await status(microdeposits.readUserMicrodeposit(guid, user)), 404);
  });
});
